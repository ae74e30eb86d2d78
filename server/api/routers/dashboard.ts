// The dashboard: the home summary, the runs table (filters, sort, server-side pages), what a
// run ran (its pipeline version's document and generated script) and per-pipeline run history
// for the charts. Thin: server/dashboard/ does the queries.
import { z } from "zod";
import { AppError } from "../../errors";
import { pipelineStats, PipelineStatsSchema } from "../../dashboard/pipeline-stats";
import { runsPage, RunsPageSchema, RunsQuerySchema } from "../../dashboard/runs-table";
import { dashboardSummary, DashboardSummarySchema } from "../../dashboard/summary";
import { runScope, scheduleScope, visiblePipeline, visibleRun } from "../../auth/workspace-scope";
import { publicProcedure, router } from "../trpc";

export const dashboardRouter = router({
  summary: publicProcedure.input(z.object({}).optional()).output(DashboardSummarySchema).query(async ({ ctx }) =>
    dashboardSummary(ctx.db, new Date(), { runs: await runScope(ctx.db, ctx.actor), schedules: scheduleScope(ctx.actor) })),

  runs: publicProcedure.input(RunsQuerySchema).output(RunsPageSchema).query(async ({ ctx, input }) => runsPage(ctx.db, input, await runScope(ctx.db, ctx.actor))),

  /** The exact pipeline document and generated script a run ran. */
  runSource: publicProcedure
    .input(z.object({ runId: z.string().min(1).max(200) }))
    .output(z.object({ pipelineId: z.string(), pipelineVersion: z.number(), document: z.string(), script: z.string() }))
    .query(async ({ ctx, input }) => {
      await visibleRun(ctx.db, ctx.actor, input.runId);
      const r = await ctx.db.run.findUnique({ where: { id: input.runId }, select: { pipelineId: true, pipelineVersion: true, document: true, script: true } });
      if (!r) throw new AppError("NOT_FOUND", { userMessage: `Run '${input.runId}' does not exist` });
      return r;
    }),

  pipelineStats: publicProcedure
    .input(z.object({ pipelineId: z.string().min(1).max(200), limit: z.number().int().min(1).max(1000).optional() }))
    .output(PipelineStatsSchema)
    .query(async ({ ctx, input }) => {
      await visiblePipeline(ctx.db, ctx.actor, input.pipelineId);
      return pipelineStats(ctx.db, input.pipelineId, input.limit);
    }),
});
