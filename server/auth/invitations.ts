// Who may create an account: the first user of a fresh database (who becomes admin), and after
// that only the holder of an admin's invitation (a random link, stored as its SHA-256, valid for
// 7 days, used once). Called from Better Auth's user-create hook (better-auth.ts).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Db } from "../db";
import { AppError } from "../errors";
import { isRole, type Role } from "./actor";

export const INVITATION_DAYS = 7;

/** A fresh invitation token (32 random bytes, base64url) and the hash stored in its place. */
export function newInviteToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInviteToken(token) };
}

/** Example: hashInviteToken("abc") === "ba7816bf..." (hex SHA-256). */
export const hashInviteToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export interface Admission {
  readonly role: Role;
  /** The workspace the invitation grants, or null (the first admin sees every workspace). */
  readonly workspaceId: string | null;
  readonly invitationId: string | null;
}

const refused = (userMessage: string) => new AppError("E_INVITE_INVALID", { userMessage });

/** The invitation behind `token`, if it can still be used by `email`; otherwise a clear AppError. */
export async function usableInvitation(database: Db, token: string, email?: string, now = new Date()) {
  const inv = await database.invitation.findUnique({ where: { tokenHash: hashInviteToken(token) } });
  if (!inv) throw refused("This invitation link is not valid. Ask an admin for an invitation.");
  if (inv.acceptedAt) throw refused("This invitation has already been used. Ask an admin for a new invitation.");
  if (inv.expiresAt <= now) throw refused("This invitation has expired. Ask an admin for a new invitation.");
  if (email !== undefined && inv.email.toLowerCase() !== email.trim().toLowerCase()) {
    throw refused(`This invitation is for ${inv.email}; sign up with that address.`);
  }
  return inv;
}

/**
 * Decides whether a new account for `email` may be created, and with what role, claiming the
 * invitation (once: a second use of the same link is refused even when both race). With
 * `inviteToken` (email + password sign-up) the token must match; without it (an OIDC sign-in)
 * the newest usable invitation for the email is taken. Throws E_INVITE_REQUIRED / E_INVITE_INVALID.
 * Example: on a fresh database admitNewUser(db, "a@x.org") -> { role: "admin", workspaceId: null, invitationId: null }
 */
export async function admitNewUser(database: Db, email: string, inviteToken?: string, now = new Date()): Promise<Admission> {
  if ((await database.user.count()) === 0) return { role: "admin", workspaceId: null, invitationId: null };
  const normalized = email.trim().toLowerCase();
  let inv;
  if (inviteToken) {
    inv = await usableInvitation(database, inviteToken, normalized, now);
  } else {
    inv = await database.invitation.findFirst({
      where: { email: normalized, acceptedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
    });
    if (!inv) {
      throw new AppError("E_INVITE_REQUIRED", { userMessage: "Sign-up needs an invitation. Ask an admin for an invitation." });
    }
  }
  // The claim is the one conditional update: of two sign-ups racing on one link, one wins.
  const claimed = await database.invitation.updateMany({
    where: { id: inv.id, acceptedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedBy: pendingMark(normalized) },
  });
  if (claimed.count !== 1) throw refused("This invitation has already been used. Ask an admin for a new invitation.");
  if (!isRole(inv.role)) throw new Error(`invitation ${inv.id} has an unknown role ${inv.role}`);
  return { role: inv.role, workspaceId: inv.workspaceId, invitationId: inv.id };
}

const pendingMark = (email: string) => `pending:${email}`;

/** After the user row exists: the invitation records who accepted it, and the membership is made. */
export async function completeAdmission(database: Db, user: { id: string; email: string }): Promise<void> {
  const inv = await database.invitation.findFirst({ where: { acceptedBy: pendingMark(user.email.toLowerCase()) } });
  if (!inv) return; // the first admin: no invitation
  await database.invitation.update({ where: { id: inv.id }, data: { acceptedBy: user.id } });
  await database.membership.upsert({
    where: { userId_workspaceId: { userId: user.id, workspaceId: inv.workspaceId } },
    create: { userId: user.id, workspaceId: inv.workspaceId },
    update: {},
  });
}

/** Creates an invitation; the returned token is shown once (only its hash is stored). */
export async function createInvitation(
  database: Db,
  o: { email: string; role: Role; workspaceId: string; invitedBy: string; now?: Date },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const now = o.now ?? new Date();
  const { token, tokenHash } = newInviteToken();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600_000);
  const row = await database.invitation.create({
    data: { id: randomUUID(), tokenHash, email: o.email.trim().toLowerCase(), role: o.role, workspaceId: o.workspaceId, invitedBy: o.invitedBy, expiresAt },
  });
  return { id: row.id, token, expiresAt };
}
