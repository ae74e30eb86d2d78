// Run lifecycle operations the API (and the CLI) call: create a run from a stored pipeline
// version (compiled now, refused with diagnostics if invalid), cancel, retry, list. They only
// touch the database and, for cancel, Ray's stop endpoint; the monitor does the rest, so any
// number of stateless web processes can call these.
import type { Prisma } from "@prisma/client";
import { LOCAL_ACTOR, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/audit";
import { compile } from "../compiler";
import { connectionsFrom, type Connections } from "../connections/store";
import type { Db } from "../db";
import { AppError } from "../errors";
import { parseDocument, serializeDocument, type PipelineDocument } from "../pipeline";
import { hasErrors } from "../pipeline/diagnostics";
import { newSubmissionId } from "../runner/job-package";
import type { RayJobsClient } from "../runner/ray-jobs";
import { wakeMonitor } from "./monitor-handle";
import { runContext } from "./run-context";
import { runToHere } from "./run-to-here";
import { loadSnapshot, toSummary, RUN_STATES, type RunSnapshot, type RunState, type RunSummary, type RunTrigger } from "./snapshot";

export interface CreateRunInput {
  readonly pipelineId: string;
  /** A saved version (what the editor shows); default: the current one. */
  readonly version?: number;
  /** Run-to-here: a write node; only it and its upstream nodes run. */
  readonly toNodeId?: string | null;
  readonly trigger?: RunTrigger;
  readonly retryOf?: string | null;
  /** What Run.startedBy says; default: the actor's id. */
  readonly startedBy?: string;
  /** Who starts it (audited as run.start with the script); default: the local user. */
  readonly actor?: Actor;
  /** Extra audit detail, e.g. { scheduleId }. */
  readonly auditDetail?: Record<string, unknown>;
}

async function loadVersion(db: Db, pipelineId: string, version?: number): Promise<{ doc: PipelineDocument; version: number }> {
  const p = await db.pipeline.findUnique({ where: { id: pipelineId }, select: { document: true, version: true } });
  if (!p) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${pipelineId}' does not exist` });
  let text = p.document;
  let v = p.version;
  if (version !== undefined && version !== p.version) {
    const old = await db.pipelineVersion.findUnique({ where: { pipelineId_version: { pipelineId, version } } });
    if (!old) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${pipelineId}' has no version ${version}` });
    text = old.document;
    v = version;
  }
  const parsed = parseDocument(text);
  if (!parsed.doc) throw new AppError("INTERNAL", { userMessage: "A stored pipeline could not be read", diagnostics: parsed.diagnostics });
  return { doc: { ...parsed.doc, id: pipelineId }, version: v };
}

/** Compiles `doc` for a run, or throws PIPELINE_INVALID with the diagnostics. */
export async function compileForRun(doc: PipelineDocument, connections: Connections | null = null): Promise<string> {
  const out = compile(doc, await runContext(doc, connections));
  if (!out.python || hasErrors(out.diagnostics)) {
    const errors = out.diagnostics.filter((d) => d.severity === "error");
    const first = errors[0];
    throw new AppError("PIPELINE_INVALID", {
      userMessage: `The pipeline has ${errors.length} problem${errors.length === 1 ? "" : "s"} to fix before it can run${first ? `: ${first.nodeId ? `${first.nodeId}: ` : ""}${first.message}` : ""}`,
      diagnostics: out.diagnostics,
    });
  }
  return out.python;
}

async function insertRun(
  db: Db,
  o: { pipelineId: string; version: number; doc: PipelineDocument; script: string; toNodeId: string | null; trigger: RunTrigger; retryOf: string | null; startedBy: string },
  actor: Actor,
  auditDetail: Record<string, unknown> = {},
): Promise<string> {
  const id = newSubmissionId(o.pipelineId);
  const workspace = await db.pipeline.findUnique({ where: { id: o.pipelineId }, select: { workspaceId: true } });
  // the run and its audit row (with the exact script the run stores) land together
  await db.$transaction(async (tx) => {
    await tx.run.create({ data: {
      id,
      pipelineId: o.pipelineId,
      pipelineVersion: o.version,
      document: serializeDocument(o.doc),
      script: o.script,
      toNodeId: o.toNodeId,
      trigger: o.trigger,
      retryOf: o.retryOf,
      startedBy: o.startedBy,
      state: "queued",
    } });
    await recordAudit(tx, actor, {
      action: o.trigger === "retry" ? "run.retry" : "run.start", targetType: "run", targetId: id, pipelineId: o.pipelineId, version: o.version, runId: id,
      workspaceId: workspace?.workspaceId ?? null, script: o.script,
      detail: { trigger: o.trigger, ...(o.toNodeId ? { toNodeId: o.toNodeId } : {}), ...(o.retryOf ? { retryOf: o.retryOf } : {}), ...auditDetail },
    });
  });
  wakeMonitor();
  return id;
}

/**
 * Queues a run of a saved pipeline version; resolves to its id (= the Ray submission id).
 * Example: await createRun(db, { pipelineId: "reviews", version: 3, toNodeId: "out" })
 */
export async function createRun(db: Db, input: CreateRunInput): Promise<string> {
  const { doc: full, version } = await loadVersion(db, input.pipelineId, input.version);
  let doc = full;
  if (input.toNodeId) {
    const pruned = runToHere(full, input.toNodeId);
    if (!pruned.ok) throw new AppError("BAD_INPUT", { userMessage: pruned.message });
    doc = pruned.doc;
  }
  const script = await compileForRun(doc, connectionsFrom(db));
  const actor = input.actor ?? LOCAL_ACTOR;
  return insertRun(db, {
    pipelineId: input.pipelineId, version, doc, script, toNodeId: input.toNodeId ?? null,
    trigger: input.trigger ?? "manual", retryOf: input.retryOf ?? null, startedBy: input.startedBy ?? actor.id,
  }, actor, input.auditDetail);
}

/** A new run of the same document and version as `runId` (recompiled: sources may have changed). */
export async function retryRun(db: Db, runId: string, actor: Actor = LOCAL_ACTOR): Promise<string> {
  const r = await db.run.findUnique({ where: { id: runId } });
  if (!r) throw new AppError("NOT_FOUND", { userMessage: `Run '${runId}' does not exist` });
  if (!["succeeded", "failed", "cancelled"].includes(r.state)) {
    throw new AppError("CONFLICT", { userMessage: `Run '${runId}' is still ${r.state}; cancel it or wait for it to end before retrying` });
  }
  const parsed = parseDocument(r.document);
  if (!parsed.doc) throw new AppError("INTERNAL", { userMessage: "The run's stored pipeline could not be read", diagnostics: parsed.diagnostics });
  const script = await compileForRun(parsed.doc, connectionsFrom(db));
  return insertRun(db, {
    pipelineId: r.pipelineId, version: r.pipelineVersion, doc: parsed.doc, script, toNodeId: r.toNodeId,
    trigger: "retry", retryOf: r.id, startedBy: actor.id,
  }, actor);
}

/**
 * Cancels a run: a queued one ends at once; a submitted/running one is marked and its Ray job
 * stopped (the monitor settles it as cancelled when Ray reports the stop, and repeats the stop
 * if this request could not reach Ray). Returns the state after the request.
 */
export async function cancelRun(db: Db, client: RayJobsClient | null, runId: string, actor: Actor = LOCAL_ACTOR): Promise<RunState> {
  const audit = async (tx: Parameters<typeof recordAudit>[0], state: string) => {
    const r = await tx.run.findUnique({ where: { id: runId }, select: { pipelineId: true, pipelineVersion: true } });
    if (r) await recordAudit(tx, actor, { action: "run.cancel", targetType: "run", targetId: runId, runId, pipelineId: r.pipelineId, version: r.pipelineVersion, detail: { from: state } });
  };
  const dequeued = await db.$transaction(async (tx) => {
    const res = await tx.run.updateMany({
      where: { id: runId, state: "queued" },
      data: { state: "cancelled", cancelRequested: true, endedAt: new Date(), errorCode: null },
    });
    if (res.count) await audit(tx, "queued");
    return res;
  });
  if (dequeued.count) return "cancelled";
  const marked = await db.$transaction(async (tx) => {
    const res = await tx.run.updateMany({ where: { id: runId, state: { in: ["submitted", "running"] } }, data: { cancelRequested: true } });
    if (res.count) await audit(tx, "active");
    return res;
  });
  if (marked.count && client) {
    await client.stop(runId).catch(() => false); // the monitor retries; Ray may not know the job yet
  }
  wakeMonitor();
  const r = await db.run.findUnique({ where: { id: runId }, select: { state: true } });
  if (!r) throw new AppError("NOT_FOUND", { userMessage: `Run '${runId}' does not exist` });
  return r.state as RunState;
}

export async function getRun(db: Db, runId: string): Promise<RunSnapshot> {
  const s = await loadSnapshot(db, runId);
  if (!s) throw new AppError("NOT_FOUND", { userMessage: `Run '${runId}' does not exist` });
  return s;
}

/** Newest first; e.g. listRuns(db, { pipelineId: "reviews", limit: 20 }). */
export async function listRuns(db: Db, f: { pipelineId?: string; state?: RunState; limit?: number; scope?: Prisma.RunWhereInput } = {}): Promise<RunSummary[]> {
  const rows = await db.run.findMany({
    where: { AND: [f.scope ?? {}, { ...(f.pipelineId ? { pipelineId: f.pipelineId } : {}), ...(f.state && RUN_STATES.includes(f.state) ? { state: f.state } : {}) }] },
    orderBy: { createdAt: "desc" },
    take: Math.min(f.limit ?? 50, 500),
  });
  const now = new Date();
  return rows.map((r) => toSummary(r, now));
}
