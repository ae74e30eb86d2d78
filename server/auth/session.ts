// The caller behind a request: with sign-in off the local admin; with it on, the Better Auth
// session in the request's cookies, read fresh from the database on every request (a sign-out,
// removal or role change applies to the very next request), or null.
import { db as appDb, type Db } from "../db";
import { isRole, LOCAL_ACTOR, type Actor, type Role } from "./actor";
import { auth as appAuth, type Auth } from "./better-auth";
import { signInEnabled } from "./settings";

/** The user a session belongs to, as an Actor: role from User.role; workspaces from memberships (null for admins). */
export async function actorForUser(database: Db, userId: string): Promise<Actor | null> {
  const user = await database.user.findUnique({ where: { id: userId }, include: { memberships: { select: { workspaceId: true } } } });
  if (!user || !isRole(user.role)) return null;
  return {
    id: user.id, email: user.email, name: user.name, role: user.role,
    workspaceIds: user.role === "admin" ? null : user.memberships.map((m) => m.workspaceId),
  };
}

/** The signed-in actor of a request with these headers, or null (no cookie, expired or revoked session). */
export async function sessionActor(headers: Headers, database: Db = appDb(), a: Auth = appAuth(database)): Promise<Actor | null> {
  const session = await a.api.getSession({ headers, query: { disableCookieCache: true } });
  if (!session) return null;
  return actorForUser(database, session.user.id);
}

/** Who is calling: LOCAL_ACTOR when sign-in is off. */
export async function requestActor(headers: Headers, database: Db = appDb()): Promise<Actor | null> {
  if (!(await signInEnabled(database))) return LOCAL_ACTOR;
  return sessionActor(headers, database);
}

/** What the browser is told about itself (components/auth/auth-context.tsx). No secrets. */
export interface AuthState {
  readonly signInEnabled: boolean;
  readonly user: { readonly id: string; readonly email: string; readonly name: string; readonly role: Role } | null;
  /** True on a database with no account yet: signed-out visitors go to "Create the admin account". */
  readonly noUsers: boolean;
  /** "Sign in with <name>" when an OIDC provider is configured. */
  readonly oidcName: string | null;
}

export async function authState(headers: Headers, database: Db = appDb(), oidcName: string | null = null): Promise<AuthState> {
  const on = await signInEnabled(database);
  if (!on) return { signInEnabled: false, user: { id: LOCAL_ACTOR.id, email: LOCAL_ACTOR.email, name: LOCAL_ACTOR.name, role: LOCAL_ACTOR.role }, noUsers: false, oidcName: null };
  const actor = await sessionActor(headers, database);
  const noUsers = actor ? false : (await database.user.count()) === 0;
  return { signInEnabled: true, user: actor && { id: actor.id, email: actor.email, name: actor.name, role: actor.role }, noUsers, oidcName };
}
