// Sign-up through Better Auth's real endpoints on a real SQLite database: the first account
// becomes admin; later accounts need an invitation, which gives its role and workspace once and
// never after it expired; sessions resolve to the right Actor; the bind rule; the admin page's
// last-admin guard.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db";
import { REPO_ROOT, tempDir } from "../storage/testing";
import { createCaller } from "../api/root";
import { DEFAULT_WORKSPACE_ID, LOCAL_ACTOR, type Actor } from "./actor";
import { createAuth, type Auth } from "./better-auth";
import { createInvitation, hashInviteToken } from "./invitations";
import { actorForUser, sessionActor } from "./session";
import { bindRefusal, signInEnabled } from "./settings";

let tmp: ReturnType<typeof tempDir>;
let database: Db;
let auth: Auth;
const ORIGIN = "http://127.0.0.1:3120";

beforeAll(() => {
  tmp = tempDir("etl-auth-");
  database = createDb(`file:${path.join(tmp.dir, "test.db")}`, REPO_ROOT);
  auth = createAuth({ db: database, dataDir: tmp.dir, secret: "s".repeat(40), oidc: null });
});
afterAll(async () => {
  await database?.$disconnect();
  tmp?.cleanup();
});

/** A sign-up as the browser sends it, through Better Auth's HTTP handler. */
async function signUp(email: string, inviteToken?: string): Promise<{ status: number; body: Record<string, unknown>; cookie: string | null }> {
  const res = await auth.handler(new Request(`${ORIGIN}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ email, password: "correct horse battery", name: email.split("@")[0], ...(inviteToken ? { inviteToken } : {}) }),
  }));
  const cookie = res.headers.get("set-cookie");
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, cookie: cookie && cookie.split(";")[0] };
}

const userByEmail = (email: string) => database.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });

describe("who may sign up", () => {
  let adminActor: Actor;

  it("the first account of a fresh database becomes admin, and its session cookie resolves to that admin", async () => {
    const r = await signUp("first@example.org");
    expect(r.status).toBe(200);
    const u = await userByEmail("first@example.org");
    expect(u.role).toBe("admin");
    // the password is stored as a scrypt hash, never as typed
    const account = await database.account.findFirstOrThrow({ where: { userId: u.id, providerId: "credential" } });
    expect(account.password).not.toContain("correct horse");
    const actor = await sessionActor(new Headers({ cookie: r.cookie! }), database, auth);
    expect(actor).toMatchObject({ id: u.id, email: "first@example.org", role: "admin", workspaceIds: null });
    adminActor = actor!;
  });

  it("a second sign-up without an invitation is refused with a clear message and creates nothing", async () => {
    const r = await signUp("stranger@example.org");
    expect(r.status).toBe(403);
    expect(String(r.body.message)).toMatch(/Ask an admin for an invitation/);
    expect(await database.user.findUnique({ where: { email: "stranger@example.org" } })).toBeNull();
  });

  it("an invitation gives its role and workspace, only once", async () => {
    const team = await database.workspace.create({ data: { id: "team-b", name: "Team B" } });
    const inv = await createInvitation(database, { email: "Ed@Example.org", role: "editor", workspaceId: team.id, invitedBy: adminActor.id });
    // only the hash is stored
    const row = await database.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.tokenHash).toBe(hashInviteToken(inv.token));
    expect(JSON.stringify(row)).not.toContain(inv.token);
    expect(Buffer.from(inv.token, "base64url")).toHaveLength(32);

    // the link's token with another email is refused
    const wrong = await signUp("other@example.org", inv.token);
    expect(wrong.status).toBe(400);
    expect(String(wrong.body.message)).toMatch(/invitation is for ed@example.org/);

    const r = await signUp("ed@example.org", inv.token);
    expect(r.status).toBe(200);
    const u = await userByEmail("ed@example.org");
    expect(u.role).toBe("editor");
    expect(u.memberships.map((m) => m.workspaceId)).toEqual(["team-b"]);
    const used = await database.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(used.acceptedBy).toBe(u.id);
    expect(used.acceptedAt).not.toBeNull();
    expect(await sessionActor(new Headers({ cookie: r.cookie! }), database, auth)).toMatchObject({ role: "editor", workspaceIds: ["team-b"] });

    // the same link again (another address would be refused anyway; same address exists): used
    await database.user.delete({ where: { id: u.id } });
    const again = await signUp("ed@example.org", inv.token);
    expect(again.status).toBe(400);
    expect(String(again.body.message)).toMatch(/already been used/);
    expect(await database.user.findUnique({ where: { email: "ed@example.org" } })).toBeNull();
  });

  it("an expired invitation is refused", async () => {
    const inv = await createInvitation(database, { email: "late@example.org", role: "viewer", workspaceId: DEFAULT_WORKSPACE_ID, invitedBy: adminActor.id, now: new Date(Date.now() - 8 * 24 * 3600_000) });
    const r = await signUp("late@example.org", inv.token);
    expect(r.status).toBe(400);
    expect(String(r.body.message)).toMatch(/expired/);
    expect(await database.user.findUnique({ where: { email: "late@example.org" } })).toBeNull();
  });

  it("a forged token is refused", async () => {
    const r = await signUp("late@example.org", "A".repeat(43));
    expect(r.status).toBe(400);
    expect(String(r.body.message)).toMatch(/not valid/);
  });

  it("a role change applies to the very next request of the same session", async () => {
    const inv = await createInvitation(database, { email: "vi@example.org", role: "viewer", workspaceId: DEFAULT_WORKSPACE_ID, invitedBy: adminActor.id });
    const r = await signUp("vi@example.org", inv.token);
    expect(r.status).toBe(200);
    const headers = new Headers({ cookie: r.cookie! });
    expect((await sessionActor(headers, database, auth))?.role).toBe("viewer");
    const u = await userByEmail("vi@example.org");
    await createCaller({ db: database, actor: adminActor }).admin.setRole({ userId: u.id, role: "runner" });
    expect((await sessionActor(headers, database, auth))?.role).toBe("runner");
    // and signing out ends the session
    const out = await auth.handler(new Request(`${ORIGIN}/api/auth/sign-out`, { method: "POST", headers: { cookie: r.cookie!, origin: ORIGIN, "content-type": "application/json" }, body: "{}" }));
    expect(out.status).toBe(200);
    expect(await sessionActor(headers, database, auth)).toBeNull();
  });

  it("the last admin cannot be demoted or removed", async () => {
    const caller = createCaller({ db: database, actor: adminActor });
    await expect(caller.admin.setRole({ userId: adminActor.id, role: "editor" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/last admin/) });
    await expect(caller.admin.removeUser({ userId: adminActor.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await actorForUser(database, adminActor.id))?.role).toBe("admin");
  });
});

describe("the bind rule", () => {
  it("refuses anything but loopback without sign-in, and names ETL_AUTH=on", () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) expect(bindRefusal(host, false)).toBeNull();
    for (const host of ["0.0.0.0", "192.168.1.20", "etl.example.com", "::"]) {
      expect(bindRefusal(host, false)).toMatch(/Refusing to bind.*ETL_AUTH=on/);
      expect(bindRefusal(host, true)).toBeNull();
    }
  });
});

describe("turning sign-in on from single-user mode", () => {
  it("creates the admin account and switches sign-in on in one step; a second time is refused", async () => {
    const t = tempDir("etl-auth-on-");
    process.env.ETL_AUTH_SECRET = "t".repeat(40);
    const fresh = createDb(`file:${path.join(t.dir, "test.db")}`, REPO_ROOT);
    try {
      const local = createCaller({ db: fresh, actor: LOCAL_ACTOR });
      expect(await signInEnabled(fresh)).toBe(false);
      await expect(local.admin.enableSignIn({ email: "owner@example.org", name: "Owner", password: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect(await signInEnabled(fresh)).toBe(false);
      expect(await local.admin.enableSignIn({ email: "Owner@Example.org", name: "Owner", password: "long enough password" })).toEqual({ created: true });
      expect(await signInEnabled(fresh)).toBe(true);
      const owner = await fresh.user.findUniqueOrThrow({ where: { email: "owner@example.org" } });
      expect(owner.role).toBe("admin");
      await expect(local.admin.enableSignIn({ email: "x@example.org", name: "X", password: "long enough password" })).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await fresh.user.count()).toBe(1);
      const audit = await fresh.auditEvent.findMany({ where: { action: { in: ["user.signup", "setting.sign-in"] } }, orderBy: { id: "asc" } });
      expect(audit.map((a) => [a.action, a.actorId])).toEqual([["user.signup", owner.id], ["setting.sign-in", "local"]]);
    } finally {
      delete process.env.ETL_AUTH_SECRET;
      await fresh.$disconnect();
      t.cleanup();
    }
  });
});
