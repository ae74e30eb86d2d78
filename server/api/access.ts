// Who may call what: the one table from every tRPC procedure path to the least role it needs.
// The middleware in trpc.ts looks every call up here; a path missing from the table is refused
// (deny by default), and server/api/access.test.ts fails when a procedure has no entry or an
// entry names no procedure. Isomorphic (no Node, Prisma or React imports): the UI may import it
// to disable controls the signed-in role cannot use.
//
// Roles are ordered (server/auth/actor.ts): viewer < editor < runner < admin; each includes the
// rights of the ones before it. No procedure accepts an anonymous caller.
import type { Role } from "../auth/actor";

export const PROCEDURE_ROLES = {
  // viewer: see pipelines, runs and previews
  "health.check": "viewer",
  "workspaces.mine": "viewer",
  "pipelines.list": "viewer",
  "pipelines.get": "viewer",
  "pipelines.versions": "viewer",
  "pipelines.check": "viewer",
  "pipelines.compile": "viewer",
  "preview.node": "viewer",
  "sources.inspect": "viewer",
  "sources.facts": "viewer",
  "sources.sample": "viewer",
  "python.check": "viewer",
  "runs.get": "viewer",
  "runs.list": "viewer",
  "runs.watch": "viewer",
  "dashboard.summary": "viewer",
  "dashboard.runs": "viewer",
  "dashboard.runSource": "viewer",
  "dashboard.pipelineStats": "viewer",
  "schedules.list": "viewer",
  "schedules.preview": "viewer",
  "schedules.fires": "viewer",
  "webhooks.get": "viewer",
  // connection names (no endpoint, region or secrets) for the read/write node forms and analysis
  "connections.names": "viewer",
  // browsing a bucket through a named connection, from the read/write node forms
  "connections.browse": "viewer",

  // editor: edit pipelines, schedules and webhooks
  "pipelines.create": "editor",
  "pipelines.save": "editor",
  "pipelines.rename": "editor",
  "pipelines.duplicate": "editor",
  "pipelines.delete": "editor",
  "pipelines.restore": "editor",
  "schedules.create": "editor",
  "schedules.update": "editor",
  "schedules.setEnabled": "editor",
  "schedules.delete": "editor",
  "webhooks.set": "editor",
  "webhooks.remove": "editor",

  // runner: run, cancel, retry
  "runs.start": "runner",
  "runs.cancel": "runner",
  "runs.retry": "runner",
  "schedules.runNow": "runner",

  // admin: connections, audit trail, users and workspaces (server/api/routers/admin.ts)
  "connections.list": "admin",
  "connections.create": "admin",
  "connections.update": "admin",
  "connections.delete": "admin",
  "connections.test": "admin",
  "audit.list": "admin",
  "admin.overview": "admin",
  "admin.setRole": "admin",
  "admin.removeUser": "admin",
  "admin.createWorkspace": "admin",
  "admin.setMember": "admin",
  "admin.invite": "admin",
  "admin.revokeInvitation": "admin",
  "admin.enableSignIn": "admin",
} as const satisfies Record<string, Role>;

export type ProcedurePath = keyof typeof PROCEDURE_ROLES;

/** The least role `path` needs; null when the path is not declared (the call is refused). */
export function requiredRole(path: string): Role | null {
  return Object.prototype.hasOwnProperty.call(PROCEDURE_ROLES, path) ? (PROCEDURE_ROLES as Record<string, Role>)[path] : null;
}
