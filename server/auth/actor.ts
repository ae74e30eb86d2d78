// Who is calling: the one shape every tRPC procedure, service and audit record sees. Isomorphic
// (no Node, Prisma or React imports) so the browser can share the role order.

/** App-wide roles, ordered: each includes every right of the ones before it. */
export const ROLES = ["viewer", "editor", "runner", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** What each role adds, for the UI and the README. */
export const ROLE_RIGHTS: Readonly<Record<Role, string>> = {
  viewer: "see pipelines, runs and previews",
  editor: "edit pipelines and schedules, preview",
  runner: "run and cancel",
  admin: "users, workspaces, connections, settings",
};

/** True when `have` includes the rights of `need`, e.g. roleAtLeast("runner", "editor") === true. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

export interface Actor {
  /** User id; "local" in single-user mode; "scheduler" for scheduled runs. */
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** The workspaces this actor sees; null = every workspace (admins, single-user mode). */
  readonly workspaceIds: readonly string[] | null;
}

/** Single-user embedded mode (sign-in off, bound to loopback): the one local user is admin. */
export const LOCAL_ACTOR: Actor = { id: "local", email: "local", name: "Local user", role: "admin", workspaceIds: null };

/** The scheduler firing a slot: runs pipelines on behalf of whoever scheduled them. */
export const SCHEDULER_ACTOR: Actor = { id: "scheduler", email: "scheduler", name: "Scheduler", role: "runner", workspaceIds: null };

/** The default workspace every pipeline belongs to unless created in another. */
export const DEFAULT_WORKSPACE_ID = "default";
