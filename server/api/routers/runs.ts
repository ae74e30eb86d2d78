// Runs: start (whole pipeline or Run-to-here), cancel, retry, read, list, and a live watch over
// SSE. Thin: the run service writes the database, the monitor talks to Ray; watch streams what
// the database holds, so reopening a page replays a run from any web process.
import { z } from "zod";
import { rayClient } from "../../runner/ray-service";
import { monitorHandle } from "../../runs/monitor-handle";
import { cancelRun, createRun, getRun, listRuns, retryRun } from "../../runs/service";
import { loadSnapshot, RUN_STATES, RunSnapshotSchema, RunSummarySchema, snapshotKey, TERMINAL_RUN_STATES } from "../../runs/snapshot";
import { AppError } from "../../errors";
import { runScope, visiblePipeline, visibleRun } from "../../auth/workspace-scope";
import { publicProcedure, router } from "../trpc";

const RunId = z.object({ runId: z.string().min(1).max(200) });

/** How often a watch looks at the database for changes (the monitor writes at most ~4/s). */
const WATCH_POLL_MS = 250;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort); // one listener at a time, however long the watch
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `next dev` has no app process (server/main.ts) to follow runs: start the monitor here once. */
function ensureDevMonitor(): void {
  if (process.env.NODE_ENV !== "development" || process.env.ETL_RUN_MONITOR === "0" || monitorHandle()) return;
  void import("../../runs/start-monitor").then((m) => m.startRunMonitor()).catch((e) => console.error("[runs] monitor failed to start:", e));
}

export const runsRouter = router({
  /** Queues a run of a saved version; `toNodeId` (a write node) runs only its branch. */
  start: publicProcedure
    .input(z.object({ pipelineId: z.string().min(1), version: z.number().int().positive().optional(), toNodeId: z.string().min(1).nullish() }))
    .output(z.object({ runId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      ensureDevMonitor();
      await visiblePipeline(ctx.db, ctx.actor, input.pipelineId);
      return { runId: await createRun(ctx.db, { ...input, trigger: "manual", actor: ctx.actor }) };
    }),

  cancel: publicProcedure
    .input(RunId)
    .output(z.object({ state: z.enum(RUN_STATES) }))
    .mutation(async ({ ctx, input }) => {
      await visibleRun(ctx.db, ctx.actor, input.runId);
      return { state: await cancelRun(ctx.db, rayClient(3_000), input.runId, ctx.actor) };
    }),

  /** A new run (trigger "retry") of the same pipeline version as an ended run. */
  retry: publicProcedure
    .input(RunId)
    .output(z.object({ runId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await visibleRun(ctx.db, ctx.actor, input.runId);
      return { runId: await retryRun(ctx.db, input.runId, ctx.actor) };
    }),

  get: publicProcedure.input(RunId).output(RunSnapshotSchema).query(async ({ ctx, input }) => {
    await visibleRun(ctx.db, ctx.actor, input.runId);
    const run = await getRun(ctx.db, input.runId);
    const user = await ctx.db.user.findUnique({ where: { id: run.startedBy }, select: { name: true, email: true } });
    return { ...run, startedByName: user ? user.name || user.email : null };
  }),

  /** Newest first, with durations. */
  list: publicProcedure
    .input(z.object({ pipelineId: z.string().optional(), state: z.enum(RUN_STATES).optional(), limit: z.number().int().min(1).max(500).optional() }).optional())
    .output(z.array(RunSummarySchema))
    .query(async ({ ctx, input }) => listRuns(ctx.db, { ...input, scope: await runScope(ctx.db, ctx.actor) })),

  /**
   * Snapshots of a run (run + stages) whenever they change, from the database; ends after the
   * final state. Each snapshot is validated against RunSnapshotSchema before it is sent.
   */
  watch: publicProcedure.input(RunId).subscription(async function* ({ ctx, input, signal }) {
    await visibleRun(ctx.db, ctx.actor, input.runId);
    let last = "";
    for (;;) {
      const snap = await loadSnapshot(ctx.db, input.runId);
      if (!snap) throw new AppError("NOT_FOUND", { userMessage: `Run '${input.runId}' does not exist` });
      const key = snapshotKey(snap);
      if (key !== last) {
        last = key;
        yield RunSnapshotSchema.parse(snap);
      }
      if (TERMINAL_RUN_STATES.includes(snap.state) || signal?.aborted) return;
      await sleep(WATCH_POLL_MS, signal);
      if (signal?.aborted) return;
    }
  }),
});
