// The caller's workspaces, for the workspace picker on "New pipeline" and the pipelines filter.
// Managing workspaces (create, members) is the admin router's job.
import { z } from "zod";
import { actorWorkspaces } from "../../auth/workspace-scope";
import { publicProcedure, router } from "../trpc";

export const workspacesRouter = router({
  /** e.g. [{ id: "default", name: "Default" }]; every workspace for admins and single-user mode. */
  mine: publicProcedure.output(z.array(z.object({ id: z.string(), name: z.string() }))).query(({ ctx }) => actorWorkspaces(ctx.db, ctx.actor)),
});
