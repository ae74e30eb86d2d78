// What a run looks like to the browser and the CLI: the run record with its stages, as plain
// JSON (ISO dates, numbers). One schema for runs.get, runs.watch and runs.list.
import { z } from "zod";
import type { Db } from "../db";

export const RUN_STATES = ["queued", "submitted", "running", "succeeded", "failed", "cancelled"] as const;
export type RunState = (typeof RUN_STATES)[number];
export const ACTIVE_RUN_STATES: readonly RunState[] = ["submitted", "running"];
export const TERMINAL_RUN_STATES: readonly RunState[] = ["succeeded", "failed", "cancelled"];
export const RUN_TRIGGERS = ["manual", "schedule", "retry"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const StageSnapshotSchema = z.object({
  key: z.string(),
  stage: z.string(),
  nodes: z.array(z.string()),
  sink: z.string().nullable(),
  state: z.enum(["pending", "running", "succeeded", "failed", "cancelled"]),
  rowsOut: z.number().nullable(),
  bytesOut: z.number().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type StageSnapshot = z.infer<typeof StageSnapshotSchema>;

export const RunErrorSchema = z.object({
  code: z.string().nullable(),
  nodeId: z.string().nullable(),
  message: z.string(),
  udfLine: z.number().nullable(),
  traceback: z.array(z.string()),
});

export const RunSummarySchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  pipelineVersion: z.number(),
  toNodeId: z.string().nullable(),
  trigger: z.enum(RUN_TRIGGERS),
  retryOf: z.string().nullable(),
  startedBy: z.string(),
  /** The name (or email) of the user startedBy names; filled by runs.get, absent elsewhere. */
  startedByName: z.string().nullable().optional(),
  state: z.enum(RUN_STATES),
  cancelRequested: z.boolean(),
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** From submission to the end (or to now while it runs), in ms; null while queued. */
  durationMs: z.number().nullable(),
  error: RunErrorSchema.nullable(),
  rowsWritten: z.record(z.string(), z.number()).nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunSnapshotSchema = RunSummarySchema.extend({
  /** Node ids the run executes (all of them, or a Run-to-here branch). */
  nodeIds: z.array(z.string()),
  logTail: z.string(),
  rayStatus: z.string().nullable(),
  rayMessage: z.string().nullable(),
  stages: z.array(StageSnapshotSchema),
  /** Server time of this snapshot, so the browser can tick elapsed times without clock skew. */
  now: z.string(),
});
export type RunSnapshot = z.infer<typeof RunSnapshotSchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (v: bigint | number | null) => (v === null ? null : Number(v));

type RunRow = NonNullable<Awaited<ReturnType<Db["run"]["findUnique"]>>>;
type StageRow = Awaited<ReturnType<Db["runStage"]["findMany"]>>[number];

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toSummary(r: RunRow, now = new Date()): RunSummary {
  const from = r.submittedAt ?? r.startedAt;
  const to = r.endedAt ?? (TERMINAL_RUN_STATES.includes(r.state as RunState) ? r.updatedAt : now);
  return {
    id: r.id,
    pipelineId: r.pipelineId,
    pipelineVersion: r.pipelineVersion,
    toNodeId: r.toNodeId,
    trigger: r.trigger as RunTrigger,
    retryOf: r.retryOf,
    startedBy: r.startedBy,
    state: r.state as RunState,
    cancelRequested: r.cancelRequested,
    createdAt: r.createdAt.toISOString(),
    submittedAt: iso(r.submittedAt),
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    durationMs: from ? Math.max(0, to.getTime() - from.getTime()) : null,
    error: r.errorMessage
      ? { code: r.errorCode, nodeId: r.errorNodeId, message: r.errorMessage, udfLine: r.errorUdfLine, traceback: parseJson<string[]>(r.errorTraceback, []) }
      : null,
    rowsWritten: parseJson<Record<string, number> | null>(r.rowsWritten, null),
  };
}

export function toStage(s: StageRow): StageSnapshot {
  return {
    key: s.key,
    stage: s.stage,
    nodes: parseJson<string[]>(s.nodes, []),
    sink: s.sink,
    state: s.state as StageSnapshot["state"],
    rowsOut: num(s.rowsOut),
    bytesOut: num(s.bytesOut),
    startedAt: iso(s.startedAt),
    endedAt: iso(s.endedAt),
  };
}

/** The run's node ids from its stored document (no parsing of the whole schema needed). */
function nodeIdsOf(document: string): string[] {
  const doc = parseJson<{ nodes?: { id?: unknown }[] }>(document, {});
  return (doc.nodes ?? []).map((n) => n.id).filter((id): id is string => typeof id === "string");
}

/** Loads a run with its stages, or null. */
export async function loadSnapshot(db: Db, runId: string): Promise<RunSnapshot | null> {
  const r = await db.run.findUnique({ where: { id: runId }, include: { stages: { orderBy: { id: "asc" } } } });
  if (!r) return null;
  const now = new Date();
  return {
    ...toSummary(r, now),
    nodeIds: nodeIdsOf(r.document),
    logTail: r.logTail,
    rayStatus: r.rayStatus,
    rayMessage: r.rayMessage,
    stages: r.stages.map(toStage),
    now: now.toISOString(),
  };
}

/** What changed between two snapshots matters, not the clock: compare without `now`/durations. */
export function snapshotKey(s: RunSnapshot): string {
  const { now: _now, durationMs: _d, ...rest } = s;
  return JSON.stringify(rest);
}
