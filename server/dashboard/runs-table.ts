// The runs table: filter by pipeline, state, trigger and queued-time range; sort; server-side
// pagination (offset, page size <= 100) with a total. Every filter is served by an index on Run
// ((pipelineId|state|trigger, createdAt) and (createdAt)), so a page stays fast with tens of
// thousands of runs (runs-table.test.ts checks the plan on 20k runs). Prisma queries, no
// SQLite-only SQL, so the same code runs on PostgreSQL.
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import type { Db } from "../db";
import { RUN_STATES, RUN_TRIGGERS, TERMINAL_RUN_STATES, type RunState } from "../runs/snapshot";

export const RUN_SORTS = ["createdAt", "startedAt", "endedAt", "pipeline", "state"] as const;

export const RunsQuerySchema = z.object({
  pipelineId: z.string().max(200).optional(),
  states: z.array(z.enum(RUN_STATES)).max(RUN_STATES.length).optional(),
  trigger: z.enum(RUN_TRIGGERS).optional(),
  /** Queued at or after (ISO). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Queued before (ISO). */
  to: z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(RUN_SORTS).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});
export type RunsQuery = z.input<typeof RunsQuerySchema>;

export const RunRowSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  pipelineName: z.string().nullable(),
  pipelineVersion: z.number(),
  toNodeId: z.string().nullable(),
  trigger: z.enum(RUN_TRIGGERS),
  state: z.enum(RUN_STATES),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  errorNodeId: z.string().nullable(),
  errorMessage: z.string().nullable(),
  rowsWritten: z.number().nullable(),
});
export type RunRow = z.infer<typeof RunRowSchema>;

export const RunsPageSchema = z.object({ rows: z.array(RunRowSchema), total: z.number(), page: z.number(), pageSize: z.number() });
export type RunsPage = z.infer<typeof RunsPageSchema>;

/** The columns a table row needs (not the document, script or log). */
export const RUN_ROW_SELECT = {
  id: true, pipelineId: true, pipelineVersion: true, toNodeId: true, trigger: true, state: true, createdAt: true,
  submittedAt: true, startedAt: true, endedAt: true, updatedAt: true, errorNodeId: true, errorMessage: true, rowsWritten: true,
} as const;

/** Run has no relation to Pipeline (runs outlive a deleted pipeline): names come from pipelineNames. */
type SelectedRun = {
  id: string; pipelineId: string; pipelineVersion: number; toNodeId: string | null; trigger: string; state: string;
  createdAt: Date; submittedAt: Date | null; startedAt: Date | null; endedAt: Date | null; updatedAt: Date;
  errorNodeId: string | null; errorMessage: string | null; rowsWritten: string | null;
};

/** Total rows written over all sinks, from the run's `rowsWritten` JSON. */
export function totalRows(json: string | null): number | null {
  if (!json) return null;
  try {
    return Object.values(JSON.parse(json) as Record<string, number>).reduce((a, b) => a + Number(b), 0);
  } catch {
    return null;
  }
}

export function toRunRow(r: SelectedRun, names: ReadonlyMap<string, string>, now = new Date()): RunRow {
  const from = r.submittedAt ?? r.startedAt;
  const to = r.endedAt ?? (TERMINAL_RUN_STATES.includes(r.state as RunState) ? r.updatedAt : now);
  return {
    id: r.id,
    pipelineId: r.pipelineId,
    pipelineName: names.get(r.pipelineId) ?? null,
    pipelineVersion: r.pipelineVersion,
    toNodeId: r.toNodeId,
    trigger: r.trigger as RunRow["trigger"],
    state: r.state as RunState,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    endedAt: r.endedAt?.toISOString() ?? null,
    durationMs: from ? Math.max(0, to.getTime() - from.getTime()) : null,
    errorNodeId: r.errorNodeId,
    errorMessage: r.errorMessage,
    rowsWritten: totalRows(r.rowsWritten),
  };
}

/** Pipeline names for the ids on a page (one query). */
export async function pipelineNames(db: Db, ids: Iterable<string>): Promise<Map<string, string>> {
  const rows = await db.pipeline.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(rows.map((p) => [p.id, p.name]));
}

export function runsWhere(q: z.output<typeof RunsQuerySchema>): Prisma.RunWhereInput {
  return {
    ...(q.pipelineId ? { pipelineId: q.pipelineId } : {}),
    ...(q.states?.length ? { state: q.states.length === 1 ? q.states[0] : { in: q.states } } : {}),
    ...(q.trigger ? { trigger: q.trigger } : {}),
    ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) } } : {}),
  };
}

function orderBy(q: z.output<typeof RunsQuerySchema>): Prisma.RunOrderByWithRelationInput[] {
  const dir = q.dir;
  const key: Prisma.RunOrderByWithRelationInput =
    q.sort === "pipeline" ? { pipelineId: dir }
      : q.sort === "state" ? { state: dir }
        : q.sort === "startedAt" ? { startedAt: { sort: dir, nulls: "last" } }
          : q.sort === "endedAt" ? { endedAt: { sort: dir, nulls: "last" } }
            : { createdAt: dir };
  // a stable order across pages: ties broken by queued time, then id
  return q.sort === "createdAt" ? [key, { id: dir }] : [key, { createdAt: "desc" }, { id: "desc" }];
}

/**
 * One page of runs. Example: runsPage(db, { pipelineId: "reviews", states: ["failed"], page: 2 })
 */
export async function runsPage(db: Db, query: RunsQuery, scope: Prisma.RunWhereInput = {}): Promise<RunsPage> {
  const q = RunsQuerySchema.parse(query);
  const where = Object.keys(scope).length ? { AND: [scope, runsWhere(q)] } : runsWhere(q);
  const [rows, total] = await Promise.all([
    db.run.findMany({ where, orderBy: orderBy(q), skip: (q.page - 1) * q.pageSize, take: q.pageSize, select: RUN_ROW_SELECT }),
    db.run.count({ where }),
  ]);
  const names = await pipelineNames(db, rows.map((r) => r.pipelineId));
  const now = new Date();
  return { rows: rows.map((r) => toRunRow(r, names, now)), total, page: q.page, pageSize: q.pageSize };
}
