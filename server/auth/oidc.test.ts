// OIDC sign-in through Better Auth's real endpoints against a small OpenID provider served on
// loopback by this test (discovery, token and userinfo endpoints): the sign-in starts at the
// provider's authorize URL; the callback creates an account only for an email with a pending
// invitation (which gives its role and workspace) and refuses any other email.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db";
import { REPO_ROOT, tempDir } from "../storage/testing";
import { DEFAULT_WORKSPACE_ID } from "./actor";
import { createAuth, oidcFromEnv, type Auth } from "./better-auth";
import { createInvitation } from "./invitations";
import { sessionActor } from "./session";

const ORIGIN = "http://127.0.0.1:3120";
let tmp: ReturnType<typeof tempDir>;
let database: Db;
let auth: Auth;
let provider: http.Server;
let issuer = "";
/** The profile the provider's userinfo endpoint answers with (per code). */
const profiles = new Map<string, { sub: string; email: string; name: string }>();

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", issuer || "http://127.0.0.1");
    const json = (body: unknown) => { res.writeHead(200, { "content-type": "application/json" }); res.end(JSON.stringify(body)); };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, userinfo_endpoint: `${issuer}/userinfo`, id_token_signing_alg_values_supported: ["RS256"] });
    }
    if (url.pathname === "/token") {
      let body = "";
      req.on("data", (d) => { body += d; });
      req.on("end", () => json({ access_token: `at-${new URLSearchParams(body).get("code")}`, token_type: "Bearer", expires_in: 3600 }));
      return;
    }
    if (url.pathname === "/userinfo") {
      const code = (req.headers.authorization ?? "").replace(/^Bearer at-/, "");
      const p = profiles.get(code);
      if (!p) { res.writeHead(401); return res.end(); }
      return json({ ...p, email_verified: true });
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => provider.listen(0, "127.0.0.1", r));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  tmp = tempDir("etl-oidc-");
  database = createDb(`file:${path.join(tmp.dir, "test.db")}`, REPO_ROOT);
  const oidc = oidcFromEnv({ ETL_OIDC_ISSUER: `${issuer}/`, ETL_OIDC_CLIENT_ID: "etl", ETL_OIDC_CLIENT_SECRET: "shh", ETL_OIDC_NAME: "Acme SSO" });
  expect(oidc).toEqual({ issuer, clientId: "etl", clientSecret: "shh", name: "Acme SSO" });
  auth = createAuth({ db: database, dataDir: tmp.dir, secret: "o".repeat(40), oidc });
  // the first account (the admin) exists already: OIDC sign-ups need an invitation
  const first = await auth.handler(new Request(`${ORIGIN}/api/auth/sign-up/email`, {
    method: "POST", headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ email: "admin@example.org", password: "correct horse battery", name: "Admin" }),
  }));
  expect(first.status).toBe(200);
});

afterAll(async () => {
  await database?.$disconnect();
  tmp?.cleanup();
  await new Promise((r) => provider?.close(r));
});

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

/** Sign in with the provider as the browser would: start, "log in" at the provider (code), come back. */
async function oidcSignIn(code: string): Promise<Response> {
  const start = await auth.handler(new Request(`${ORIGIN}/api/auth/sign-in/social`, {
    method: "POST", headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ provider: "oidc", callbackURL: "/", errorCallbackURL: "/sign-in" }),
  }));
  expect(start.status).toBe(200);
  const { url } = (await start.json()) as { url: string };
  const authorize = new URL(url);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${issuer}/authorize`);
  expect(authorize.searchParams.get("client_id")).toBe("etl");
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/api/auth/callback/oidc`);
  const state = authorize.searchParams.get("state")!;
  return auth.handler(new Request(`${ORIGIN}/api/auth/callback/oidc?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie: cookiesOf(start) },
  }));
}

describe("OIDC sign-in", () => {
  it("refuses an email without an invitation, creating nothing", async () => {
    profiles.set("c1", { sub: "u-1", email: "nobody@example.org", name: "Nobody" });
    const res = await oidcSignIn("c1");
    expect(res.status).toBe(302);
    // back to the sign-in page, which shows the reason
    const back = new URL(res.headers.get("location")!, ORIGIN);
    expect(back.pathname).toBe("/sign-in");
    expect(back.searchParams.get("error")).toBe("E_INVITE_REQUIRED");
    expect(back.searchParams.get("error_description")).toMatch(/Ask an admin for an invitation/);
    expect(await database.user.findUnique({ where: { email: "nobody@example.org" } })).toBeNull();
  });

  it("creates the invited account with the invitation's role and workspace, signed in", async () => {
    const admin = await database.user.findUniqueOrThrow({ where: { email: "admin@example.org" } });
    await createInvitation(database, { email: "sso@example.org", role: "runner", workspaceId: DEFAULT_WORKSPACE_ID, invitedBy: admin.id });
    profiles.set("c2", { sub: "u-2", email: "sso@example.org", name: "Sam SSO" });
    const res = await oidcSignIn("c2");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    const actor = await sessionActor(new Headers({ cookie: cookiesOf(res) }), database, auth);
    expect(actor).toMatchObject({ email: "sso@example.org", name: "Sam SSO", role: "runner", workspaceIds: [DEFAULT_WORKSPACE_ID] });
    const inv = await database.invitation.findFirstOrThrow({ where: { email: "sso@example.org" } });
    expect(inv.acceptedBy).toBe(actor!.id);
  });
});
