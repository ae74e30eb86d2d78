// Better Auth for the app: email + password (scrypt hashes), cookie sessions in the app's
// database (Prisma: User/Session/Account/Verification), an optional OIDC provider, and the rule
// of who may create an account (invitations.ts). Mounted at /api/auth (app/api/auth/[...all]).
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins";
import { db as appDb, dialectOf, type Db } from "../db";
import { env } from "../env";
import { AppError } from "../errors";
import { admitNewUser, completeAdmission } from "./invitations";
import { recordAudit } from "../audit/audit";
import { keyFile } from "../key-file";
import { isRole } from "./actor";

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Shown as "Sign in with <name>". */
  readonly name: string;
}

/** The OIDC provider from ETL_OIDC_ISSUER/CLIENT_ID/CLIENT_SECRET (all three, else none) and ETL_OIDC_NAME. */
export function oidcFromEnv(source: Readonly<Record<string, string | undefined>> = process.env): OidcConfig | null {
  const issuer = source.ETL_OIDC_ISSUER?.trim();
  const clientId = source.ETL_OIDC_CLIENT_ID?.trim();
  const clientSecret = source.ETL_OIDC_CLIENT_SECRET?.trim();
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer: issuer.replace(/\/+$/, ""), clientId, clientSecret, name: source.ETL_OIDC_NAME?.trim() || "SSO" };
}

/** The provider id in Better Auth's routes (POST /api/auth/sign-in/social { provider: "oidc" }, callback /api/auth/callback/oidc). */
export const OIDC_PROVIDER_ID = "oidc";

/**
 * The key sessions are signed with: ETL_AUTH_SECRET, else <dataDir>/auth-secret (made once,
 * mode 0600), like the connections' secret-key. Example: authSecret({ dataDir: "data" }).length === 64
 */
export function authSecret(o: { dataDir: string; configured?: string }): string {
  if (o.configured) {
    if (o.configured.length < 32) throw new Error("ETL_AUTH_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)");
    return o.configured;
  }
  return keyFile(o.dataDir, "auth-secret");
}

/** Host names Better Auth builds its URLs for: loopback on any port, plus ETL_ALLOWED_HOSTS. */
export function authHosts(source: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const extra = (source.ETL_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  return ["127.0.0.1", "localhost", "[::1]", ...extra].flatMap((h) => (/:\d+$/.test(h) ? [h] : [h, `${h}:*`]));
}

const toApiError = (e: unknown): unknown =>
  e instanceof AppError ? new APIError(e.code === "E_INVITE_REQUIRED" ? "FORBIDDEN" : "BAD_REQUEST", { message: e.userMessage, code: e.code }) : e;

export interface AuthOptions {
  readonly db: Db;
  readonly dataDir: string;
  readonly secret?: string;
  readonly oidc?: OidcConfig | null;
  readonly hosts?: readonly string[];
  /** The URL for calls without a request host (server-side calls), e.g. "http://127.0.0.1:3000". */
  readonly fallbackURL?: string;
}

/** A Better Auth instance over `db` (tests make their own; the app uses auth()). */
export function createAuth(o: AuthOptions) {
  const hosts = o.hosts ?? authHosts();
  const oidc = o.oidc ?? null;
  return betterAuth({
    appName: "Ray ETL Designer",
    database: prismaAdapter(o.db, { provider: dialectOf(o.db) }),
    secret: authSecret({ dataDir: o.dataDir, configured: o.secret }),
    baseURL: { allowedHosts: [...hosts], protocol: "auto", fallback: o.fallbackURL ?? `http://127.0.0.1:${env().PORT}` },
    trustedOrigins: hosts.flatMap((h) => [`http://${h}`, `https://${h}`]),
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, minPasswordLength: 8 },
    user: { additionalFields: { role: { type: "string", input: false, defaultValue: "viewer", required: false } } },
    session: { expiresIn: 7 * 24 * 3600, updateAge: 24 * 3600 },
    // Per client IP, in memory (on in production). Better Auth's default for sign-in and sign-up
    // is 3 per 10 s, which a team signing up behind one proxy hits; 10 a minute still stops
    // password guessing.
    rateLimit: {
      customRules: {
        "/sign-in/email": { window: 60, max: 10 },
        "/sign-up/email": { window: 60, max: 10 },
        "/sign-in/social": { window: 60, max: 10 },
      },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user, ctx) => {
            const body = (ctx?.body ?? {}) as Record<string, unknown>;
            const token = typeof body.inviteToken === "string" && body.inviteToken ? body.inviteToken : undefined;
            try {
              const admission = await admitNewUser(o.db, user.email, token);
              return { data: { ...user, role: admission.role } };
            } catch (e) {
              throw toApiError(e);
            }
          },
          after: async (user) => {
            await completeAdmission(o.db, user);
            const role = isRole(user.role) ? user.role : "viewer";
            await recordAudit(o.db, { id: user.id, email: user.email, name: user.name, role, workspaceIds: null }, { action: "user.signup", targetType: "user", targetId: user.id, detail: { role } });
          },
        },
      },
    },
    plugins: oidc
      ? [
          genericOAuth({
            config: [{
              providerId: OIDC_PROVIDER_ID,
              name: oidc.name,
              discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
              clientId: oidc.clientId,
              clientSecret: oidc.clientSecret,
              scopes: ["openid", "email", "profile"],
              pkce: true,
            }],
          }),
        ]
      : [],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { etlAuth?: WeakMap<Db, Auth> };

/** The app's Better Auth instance over `database` (one per client and process). */
export function auth(database: Db = appDb()): Auth {
  globalForAuth.etlAuth ??= new WeakMap();
  let a = globalForAuth.etlAuth.get(database);
  if (!a) {
    a = createAuth({ db: database, dataDir: env().dataDir, secret: process.env.ETL_AUTH_SECRET || undefined, oidc: oidcFromEnv() });
    globalForAuth.etlAuth.set(database, a);
  }
  return a;
}
