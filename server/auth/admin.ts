// What the admin page does (server/api/routers/admin.ts is its thin tRPC face): users and their
// roles, workspaces and members, invitations, and turning sign-in on. Every change is audited.
// There is always at least one admin: the last one cannot be demoted or removed.
import { randomUUID } from "node:crypto";
import type { Db } from "../db";
import { recordAudit } from "../audit/audit";
import { AppError } from "../errors";
import { isRole, type Actor, type Role } from "./actor";
import { createInvitation } from "./invitations";
import { setSignInEnabled, signInEnabled, signInForcedByEnv } from "./settings";

export async function adminOverview(database: Db) {
  const [users, workspaces, invitations] = await Promise.all([
    database.user.findMany({ orderBy: { createdAt: "asc" }, include: { memberships: { select: { workspaceId: true } } } }),
    database.workspace.findMany({ orderBy: { createdAt: "asc" }, include: { memberships: { select: { userId: true } } } }),
    database.invitation.findMany({ where: { acceptedAt: null, expiresAt: { gt: new Date() } }, orderBy: { createdAt: "desc" } }),
  ]);
  const wsName = new Map(workspaces.map((w) => [w.id, w.name]));
  return {
    signInEnabled: await signInEnabled(database),
    signInForced: signInForcedByEnv(),
    users: users.map((u) => ({
      id: u.id, email: u.email, name: u.name, role: isRole(u.role) ? u.role : ("viewer" as Role), createdAt: u.createdAt.toISOString(),
      workspaceIds: u.memberships.map((m) => m.workspaceId),
    })),
    workspaces: workspaces.map((w) => ({ id: w.id, name: w.name, memberIds: w.memberships.map((m) => m.userId) })),
    invitations: invitations.map((i) => ({
      id: i.id, email: i.email, role: isRole(i.role) ? i.role : ("viewer" as Role), workspaceId: i.workspaceId,
      workspaceName: wsName.get(i.workspaceId) ?? i.workspaceId, expiresAt: i.expiresAt.toISOString(),
    })),
  };
}

const missingUser = (id: string) => new AppError("NOT_FOUND", { userMessage: `User '${id}' does not exist` });
const lastAdmin = () => new AppError("E_LAST_ADMIN", { userMessage: "This is the last admin: make another user admin first." });

/** Changes a user's role; refuses to demote the last admin (E_LAST_ADMIN). */
export async function setUserRole(database: Db, actor: Actor, userId: string, role: Role): Promise<void> {
  await database.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw missingUser(userId);
    if (user.role === role) return;
    if (user.role === "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) throw lastAdmin();
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit(tx, actor, { action: "user.role", targetType: "user", targetId: userId, detail: { email: user.email, from: user.role, to: role } });
  });
}

/** Removes a user (sessions, accounts and memberships go with it); never the last admin. */
export async function removeUser(database: Db, actor: Actor, userId: string): Promise<void> {
  await database.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw missingUser(userId);
    if (user.role === "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) throw lastAdmin();
    await tx.user.delete({ where: { id: userId } });
    await recordAudit(tx, actor, { action: "user.remove", targetType: "user", targetId: userId, detail: { email: user.email, role: user.role } });
  });
}

export async function createWorkspace(database: Db, actor: Actor, name: string): Promise<{ id: string; name: string }> {
  const clean = name.trim();
  if (await database.workspace.findUnique({ where: { name: clean } })) {
    throw new AppError("E_WORKSPACE_TAKEN", { userMessage: `A workspace named '${clean}' already exists` });
  }
  try {
    const w = await database.workspace.create({ data: { id: randomUUID(), name: clean } });
    await recordAudit(database, actor, { action: "workspace.create", targetType: "workspace", targetId: w.id, workspaceId: w.id, detail: { name: clean } });
    return { id: w.id, name: w.name };
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new AppError("E_WORKSPACE_TAKEN", { userMessage: `A workspace named '${clean}' already exists` });
    throw e;
  }
}

export async function setMembership(database: Db, actor: Actor, o: { workspaceId: string; userId: string; member: boolean }): Promise<void> {
  const [ws, user] = await Promise.all([database.workspace.findUnique({ where: { id: o.workspaceId } }), database.user.findUnique({ where: { id: o.userId } })]);
  if (!ws) throw new AppError("NOT_FOUND", { userMessage: `Workspace '${o.workspaceId}' does not exist` });
  if (!user) throw missingUser(o.userId);
  const key = { userId_workspaceId: { userId: o.userId, workspaceId: o.workspaceId } };
  if (o.member) await database.membership.upsert({ where: key, create: { userId: o.userId, workspaceId: o.workspaceId }, update: {} });
  else await database.membership.deleteMany({ where: { userId: o.userId, workspaceId: o.workspaceId } });
  await recordAudit(database, actor, {
    action: o.member ? "workspace.member.add" : "workspace.member.remove", targetType: "workspace", targetId: ws.id, workspaceId: ws.id,
    detail: { userId: user.id, email: user.email },
  });
}

/** An invitation for `email`; the token comes back once (only its SHA-256 is stored). */
export async function inviteUser(database: Db, actor: Actor, o: { email: string; role: Role; workspaceId: string }) {
  const email = o.email.trim().toLowerCase();
  if (await database.user.findUnique({ where: { email } })) {
    throw new AppError("E_EMAIL_TAKEN", { userMessage: `${email} already has an account` });
  }
  if (!(await database.workspace.findUnique({ where: { id: o.workspaceId } }))) {
    throw new AppError("NOT_FOUND", { userMessage: `Workspace '${o.workspaceId}' does not exist` });
  }
  const inv = await createInvitation(database, { email, role: o.role, workspaceId: o.workspaceId, invitedBy: actor.id });
  await recordAudit(database, actor, { action: "invitation.create", targetType: "invitation", targetId: inv.id, workspaceId: o.workspaceId, detail: { email, role: o.role } });
  return inv;
}

export async function revokeInvitation(database: Db, actor: Actor, id: string): Promise<void> {
  const inv = await database.invitation.findUnique({ where: { id } });
  if (!inv) throw new AppError("NOT_FOUND", { userMessage: "This invitation does not exist (already revoked?)" });
  await database.invitation.delete({ where: { id } });
  await recordAudit(database, actor, { action: "invitation.revoke", targetType: "invitation", targetId: id, workspaceId: inv.workspaceId, detail: { email: inv.email } });
}

/**
 * Turns sign-in on from single-user mode. On a database without accounts `createAdmin` (Better
 * Auth's sign-up, which makes the first user admin) runs first, so sign-in is never on without
 * an admin who can sign in. Returns whether an account was created.
 */
export async function turnOnSignIn(database: Db, actor: Actor, createAdmin: () => Promise<void>): Promise<{ created: boolean }> {
  if (await signInEnabled(database)) throw new AppError("E_SIGN_IN_ON", { userMessage: "Sign-in is already on" });
  const created = (await database.user.count()) === 0;
  if (created) await createAdmin();
  await setSignInEnabled(database, true);
  await recordAudit(database, actor, { action: "setting.sign-in", targetType: "setting", targetId: "auth.enabled", detail: { value: true, adminCreated: created } });
  return { created };
}
