// The dashboard home in one request: runs by state over the last 24 hours and 7 days, runs in
// progress with their stage progress, recent failures with node and message, recent schedule
// fires that were skipped, late or could not start, and the next scheduled runs.
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import type { Db } from "../db";
import { describeCron } from "../scheduler/describe";
import { FIRE_OUTCOMES } from "../scheduler/schedules";
import { RUN_STATES, type RunState } from "../runs/snapshot";
import { pipelineNames, RUN_ROW_SELECT, RunRowSchema, toRunRow } from "./runs-table";

const CountsSchema = z.object(Object.fromEntries(RUN_STATES.map((s) => [s, z.number()])) as Record<RunState, z.ZodNumber>);

export const ActiveRunSchema = RunRowSchema.extend({
  stagesDone: z.number(),
  stagesTotal: z.number(),
  /** Rows out of the furthest stage that reported, so far. */
  rowsSoFar: z.number().nullable(),
});

export const DashboardSummarySchema = z.object({
  now: z.string(),
  counts24h: CountsSchema,
  counts7d: CountsSchema,
  active: z.array(ActiveRunSchema),
  failures: z.array(RunRowSchema),
  /** The newest runs in any state. */
  recent: z.array(RunRowSchema),
  fireNotes: z.array(z.object({
    scheduleId: z.string(), pipelineId: z.string(), pipelineName: z.string().nullable(), slot: z.string(), firedAt: z.string(),
    late: z.boolean(), missedSlots: z.number(), outcome: z.enum(FIRE_OUTCOMES), runId: z.string().nullable(), message: z.string().nullable(),
  })),
  upcoming: z.array(z.object({
    scheduleId: z.string(), pipelineId: z.string(), pipelineName: z.string(), cron: z.string(), timezone: z.string(),
    description: z.string(), overlap: z.string(), nextFireAt: z.string(),
  })),
});
export type DashboardSummary = z.infer<typeof DashboardSummarySchema>;

const HOUR = 3_600_000;

/** What the caller may see: runs of its pipelines, schedules of its pipelines ({} = everything). */
export interface DashboardScope {
  readonly runs: Prisma.RunWhereInput;
  readonly schedules: Prisma.ScheduleWhereInput;
}
const EVERYTHING: DashboardScope = { runs: {}, schedules: {} };

async function countsSince(db: Db, since: Date, scope: Prisma.RunWhereInput): Promise<Record<RunState, number>> {
  const groups = await db.run.groupBy({ by: ["state"], where: { ...scope, createdAt: { gte: since } }, _count: { _all: true } });
  const out = Object.fromEntries(RUN_STATES.map((s) => [s, 0])) as Record<RunState, number>;
  for (const g of groups) if (g.state in out) out[g.state as RunState] = g._count._all;
  return out;
}

/** Example: (await dashboardSummary(db)).counts24h.failed */
export async function dashboardSummary(db: Db, now = new Date(), scope: DashboardScope = EVERYTHING): Promise<DashboardSummary> {
  const [counts24h, counts7d, activeRuns, failedRuns, recentRuns, fires, schedules] = await Promise.all([
    countsSince(db, new Date(now.getTime() - 24 * HOUR), scope.runs),
    countsSince(db, new Date(now.getTime() - 7 * 24 * HOUR), scope.runs),
    db.run.findMany({
      where: { ...scope.runs, state: { in: ["queued", "submitted", "running"] } }, orderBy: { createdAt: "asc" }, take: 50,
      select: { ...RUN_ROW_SELECT, stages: { select: { state: true, rowsOut: true }, orderBy: { id: "asc" } } },
    }),
    db.run.findMany({ where: { ...scope.runs, state: "failed" }, orderBy: { createdAt: "desc" }, take: 10, select: RUN_ROW_SELECT }),
    db.run.findMany({ where: scope.runs, orderBy: { createdAt: "desc" }, take: 12, select: RUN_ROW_SELECT }),
    db.scheduleFire.findMany({
      where: { schedule: scope.schedules, firedAt: { gte: new Date(now.getTime() - 24 * HOUR) }, OR: [{ late: true }, { outcome: { in: ["skipped", "failed"] } }] },
      orderBy: { firedAt: "desc" }, take: 10, include: { schedule: { select: { pipelineId: true } } },
    }),
    db.schedule.findMany({ where: { ...scope.schedules, enabled: true, nextFireAt: { not: null } }, orderBy: { nextFireAt: "asc" }, take: 10, include: { pipeline: { select: { name: true } } } }),
  ]);
  const names = await pipelineNames(db, [...activeRuns, ...failedRuns, ...recentRuns].map((r) => r.pipelineId).concat(fires.map((f) => f.schedule.pipelineId)));
  return {
    now: now.toISOString(),
    counts24h,
    counts7d,
    active: activeRuns.map((r) => {
      const rows = r.stages.map((s) => (s.rowsOut === null ? null : Number(s.rowsOut))).filter((n): n is number => n !== null);
      return {
        ...toRunRow(r, names, now),
        stagesDone: r.stages.filter((s) => s.state === "succeeded").length,
        stagesTotal: r.stages.length,
        rowsSoFar: rows.length ? rows[rows.length - 1] : null,
      };
    }),
    failures: failedRuns.map((r) => toRunRow(r, names, now)),
    recent: recentRuns.map((r) => toRunRow(r, names, now)),
    fireNotes: fires.map((f) => ({
      scheduleId: f.scheduleId, pipelineId: f.schedule.pipelineId, pipelineName: names.get(f.schedule.pipelineId) ?? null,
      slot: f.slot.toISOString(), firedAt: f.firedAt.toISOString(), late: f.late, missedSlots: f.missedSlots,
      outcome: f.outcome as (typeof FIRE_OUTCOMES)[number], runId: f.runId, message: f.message,
    })),
    upcoming: schedules.map((s) => ({
      scheduleId: s.id, pipelineId: s.pipelineId, pipelineName: s.pipeline.name, cron: s.cron, timezone: s.timezone,
      description: describeCron(s.cron), overlap: s.overlap, nextFireAt: s.nextFireAt!.toISOString(),
    })),
  };
}
