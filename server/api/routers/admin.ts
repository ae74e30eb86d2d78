// The admin page (/settings/users): users and roles, workspaces and members, invitations, and
// the sign-in switch. Every procedure needs the admin role (server/api/access.ts); the work is
// in server/auth/admin.ts.
import { isAPIError } from "better-auth/api";
import { z } from "zod";
import { ROLES } from "../../auth/actor";
import { adminOverview, createWorkspace, inviteUser, removeUser, revokeInvitation, setMembership, setUserRole, turnOnSignIn } from "../../auth/admin";
import { auth } from "../../auth/better-auth";
import { AppError } from "../../errors";
import { publicProcedure, router } from "../trpc";

const RoleSchema = z.enum(ROLES);
const Id = z.string().min(1).max(200);
const Ok = z.object({ ok: z.literal(true) }).strict();
const ok = { ok: true as const };

const OverviewSchema = z.object({
  signInEnabled: z.boolean(),
  /** ETL_AUTH=on: the page shows sign-in as on and offers no switch. */
  signInForced: z.boolean(),
  users: z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, createdAt: z.string(), workspaceIds: z.array(z.string()) }).strict()),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) }).strict()),
  invitations: z.array(z.object({ id: z.string(), email: z.string(), role: RoleSchema, workspaceId: z.string(), workspaceName: z.string(), expiresAt: z.string() }).strict()),
}).strict();

export const adminRouter = router({
  overview: publicProcedure.output(OverviewSchema).query(({ ctx }) => adminOverview(ctx.db)),

  setRole: publicProcedure.input(z.object({ userId: Id, role: RoleSchema })).output(Ok)
    .mutation(async ({ ctx, input }) => { await setUserRole(ctx.db, ctx.actor, input.userId, input.role); return ok; }),

  removeUser: publicProcedure.input(z.object({ userId: Id })).output(Ok)
    .mutation(async ({ ctx, input }) => { await removeUser(ctx.db, ctx.actor, input.userId); return ok; }),

  createWorkspace: publicProcedure.input(z.object({ name: z.string().trim().min(1, "Give the workspace a name").max(80) }))
    .output(z.object({ id: z.string(), name: z.string() }).strict())
    .mutation(({ ctx, input }) => createWorkspace(ctx.db, ctx.actor, input.name)),

  setMember: publicProcedure.input(z.object({ workspaceId: Id, userId: Id, member: z.boolean() })).output(Ok)
    .mutation(async ({ ctx, input }) => { await setMembership(ctx.db, ctx.actor, input); return ok; }),

  /** The token is in this answer only: the page shows the link once. */
  invite: publicProcedure.input(z.object({ email: z.email("Enter an email address").max(320), role: RoleSchema, workspaceId: Id }))
    .output(z.object({ id: z.string(), token: z.string(), expiresAt: z.string() }).strict())
    .mutation(async ({ ctx, input }) => {
      const inv = await inviteUser(ctx.db, ctx.actor, input);
      return { id: inv.id, token: inv.token, expiresAt: inv.expiresAt.toISOString() };
    }),

  revokeInvitation: publicProcedure.input(z.object({ id: Id })).output(Ok)
    .mutation(async ({ ctx, input }) => { await revokeInvitation(ctx.db, ctx.actor, input.id); return ok; }),

  /** Single-user mode -> sign-in on, creating the admin account first (the browser then signs in with it). */
  enableSignIn: publicProcedure
    .input(z.object({ email: z.email("Enter an email address").max(320), name: z.string().trim().min(1, "Enter a name").max(120), password: z.string().min(8, "At least 8 characters").max(128) }))
    .output(z.object({ created: z.boolean() }).strict())
    .mutation(({ ctx, input }) =>
      turnOnSignIn(ctx.db, ctx.actor, async () => {
        try {
          await auth(ctx.db).api.signUpEmail({ body: { email: input.email, name: input.name, password: input.password } });
        } catch (e) {
          if (isAPIError(e)) throw new AppError("E_SIGN_UP_FAILED", { userMessage: e.body?.message ?? e.message, cause: e });
          throw e;
        }
      })),
});
