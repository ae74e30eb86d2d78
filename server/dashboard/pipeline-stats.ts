// Per-pipeline run history for the charts: one point per ended run (duration, rows written,
// state) and the success rate per day, over the most recent runs.
import { z } from "zod";
import type { Db } from "../db";
import { totalRows } from "./runs-table";

export const PipelineStatsSchema = z.object({
  points: z.array(z.object({
    runId: z.string(), createdAt: z.string(), state: z.enum(["succeeded", "failed", "cancelled"]),
    durationMs: z.number().nullable(), rowsWritten: z.number().nullable(),
  })),
  /** Per UTC day with ended runs: share of them that succeeded (0..1). */
  daily: z.array(z.object({ day: z.string(), succeeded: z.number(), failed: z.number(), cancelled: z.number(), successRate: z.number() })),
});
export type PipelineStats = z.infer<typeof PipelineStatsSchema>;

/** Example: (await pipelineStats(db, "reviews", 200)).daily[0].successRate */
export async function pipelineStats(db: Db, pipelineId: string, limit = 200): Promise<PipelineStats> {
  const runs = await db.run.findMany({
    where: { pipelineId, state: { in: ["succeeded", "failed", "cancelled"] } },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, createdAt: true, state: true, submittedAt: true, startedAt: true, endedAt: true, rowsWritten: true },
  });
  runs.reverse();
  const points = runs.map((r) => {
    const from = r.submittedAt ?? r.startedAt;
    return {
      runId: r.id,
      createdAt: r.createdAt.toISOString(),
      state: r.state as "succeeded" | "failed" | "cancelled",
      durationMs: from && r.endedAt ? Math.max(0, r.endedAt.getTime() - from.getTime()) : null,
      rowsWritten: r.state === "succeeded" ? totalRows(r.rowsWritten) : null,
    };
  });
  const byDay = new Map<string, { succeeded: number; failed: number; cancelled: number }>();
  for (const p of points) {
    const day = p.createdAt.slice(0, 10);
    const d = byDay.get(day) ?? { succeeded: 0, failed: 0, cancelled: 0 };
    d[p.state]++;
    byDay.set(day, d);
  }
  const daily = [...byDay].map(([day, d]) => ({ day, ...d, successRate: d.succeeded / (d.succeeded + d.failed + d.cancelled) }));
  return { points, daily };
}
