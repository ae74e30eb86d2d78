// What an actor may see: pipelines of its workspaces, and everything hanging off them (versions,
// runs, schedules, webhooks, previews by pipeline id). An object of another workspace is
// NOT_FOUND with the same message as a missing one, so its existence does not leak. Actors
// with workspaceIds null (admins, single-user mode, the scheduler) see every workspace.
// Runs have no foreign key to Pipeline (they outlive it): a scoped actor sees the runs of the
// pipelines it can see, so runs of a deleted pipeline are visible only to unscoped actors.
import type { Prisma } from "@prisma/client";
import type { Db } from "../db";
import { AppError } from "../errors";
import { parseDocument, serializeDocument } from "../pipeline";
import type { PipelineDocument } from "../pipeline/schema";
import { DEFAULT_WORKSPACE_ID, type Actor } from "./actor";

type Client = Db | Prisma.TransactionClient;

/** Prisma filter on Pipeline, e.g. { workspaceId: { in: ["team-a"] } }; {} when unscoped. */
export function pipelineScope(actor: Actor): Prisma.PipelineWhereInput {
  return actor.workspaceIds === null ? {} : { workspaceId: { in: [...actor.workspaceIds] } };
}

/** Prisma filter on Run: the runs of the pipelines `actor` sees; {} when unscoped. */
export async function runScope(db: Client, actor: Actor): Promise<Prisma.RunWhereInput> {
  if (actor.workspaceIds === null) return {};
  const ids = await db.pipeline.findMany({ where: pipelineScope(actor), select: { id: true } });
  return { pipelineId: { in: ids.map((p) => p.id) } };
}

/** Prisma filter on Schedule (and, through `schedule`, on ScheduleFire). */
export function scheduleScope(actor: Actor): Prisma.ScheduleWhereInput {
  return actor.workspaceIds === null ? {} : { pipeline: pipelineScope(actor) };
}

const missingPipeline = (id: string) => new AppError("NOT_FOUND", { userMessage: `Pipeline '${id}' does not exist` });

/** The pipeline if `actor` may see it; NOT_FOUND otherwise (also when it does not exist). */
export async function visiblePipeline(db: Client, actor: Actor, id: string): Promise<{ id: string; workspaceId: string }> {
  const p = await db.pipeline.findFirst({ where: { id, ...pipelineScope(actor) }, select: { id: true, workspaceId: true } });
  if (!p) throw missingPipeline(id);
  return p;
}

/** The run's pipeline id and workspace if `actor` may see the run; NOT_FOUND otherwise. */
export async function visibleRun(db: Client, actor: Actor, runId: string): Promise<{ pipelineId: string; workspaceId: string | null }> {
  const r = await db.run.findUnique({ where: { id: runId }, select: { pipelineId: true } });
  const missing = new AppError("NOT_FOUND", { userMessage: `Run '${runId}' does not exist` });
  if (!r) throw missing;
  const p = await db.pipeline.findUnique({ where: { id: r.pipelineId }, select: { workspaceId: true } });
  if (actor.workspaceIds !== null && (!p || !actor.workspaceIds.includes(p.workspaceId))) throw missing;
  return { pipelineId: r.pipelineId, workspaceId: p?.workspaceId ?? null };
}

/** The schedule's pipeline if `actor` may see it; NOT_FOUND otherwise. */
export async function visibleSchedule(db: Client, actor: Actor, id: string): Promise<{ pipelineId: string; workspaceId: string }> {
  const s = await db.schedule.findFirst({ where: { id, ...scheduleScope(actor) }, select: { pipelineId: true, pipeline: { select: { workspaceId: true } } } });
  if (!s) throw new AppError("NOT_FOUND", { userMessage: `Schedule '${id}' does not exist` });
  return { pipelineId: s.pipelineId, workspaceId: s.pipeline.workspaceId };
}

/**
 * The workspace a new pipeline goes to: `requested` if the actor belongs to it (and it exists),
 * else the actor's first workspace, else "default". Example: targetWorkspace(db, LOCAL_ACTOR) === "default"
 */
export async function targetWorkspace(db: Client, actor: Actor, requested?: string | null): Promise<string> {
  if (!requested) return actor.workspaceIds?.[0] ?? DEFAULT_WORKSPACE_ID;
  const allowed = actor.workspaceIds === null || actor.workspaceIds.includes(requested);
  const exists = allowed && (await db.workspace.findUnique({ where: { id: requested }, select: { id: true } }));
  if (!exists) throw new AppError("NOT_FOUND", { userMessage: `Workspace '${requested}' does not exist or is not yours` });
  return requested;
}

/** The workspaces `actor` belongs to (all of them when unscoped), by name. */
export async function actorWorkspaces(db: Client, actor: Actor): Promise<{ id: string; name: string }[]> {
  return db.workspace.findMany({
    where: actor.workspaceIds === null ? {} : { id: { in: [...actor.workspaceIds] } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

/**
 * What a preview of `nodeId` executes: the node and everything upstream (ids, kinds, params,
 * edges between them) in canonical text; positions, names and description do not run.
 */
function executedPart(doc: PipelineDocument, nodeId: string): string {
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const seen = new Set<string>();
  for (const stack = [nodeId]; stack.length; ) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(inputs.get(id) ?? []));
  }
  const nodes = doc.nodes.filter((n) => seen.has(n.id)).map((n) => ({ ...n, name: undefined, position: { x: 0, y: 0 } })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const edges = doc.edges.filter((e) => seen.has(e.source) && seen.has(e.target)).sort((a, b) => `${a.source}>${a.target}` < `${b.source}>${b.target}` ? -1 : 1);
  return serializeDocument({ schemaVersion: doc.schemaVersion, id: "", name: "", nodes, edges } as PipelineDocument);
}

/** Saved versions a viewer's preview is compared with (newest first); older ones need an editor. */
const SAVED_VERSIONS_CHECKED = 50;

/**
 * Below editor, a preview may only run what someone with the editor role saved: the part of
 * the document the preview executes (the node and its upstream nodes' kinds, params and edges)
 * must equal that part of the current or a recent saved version of a pipeline the actor sees.
 * Previews run the pipeline's Python, so a viewer must not send code of their own; layout and
 * names do not matter. Throws NOT_FOUND for a pipeline the actor does not see, E_FORBIDDEN for
 * changed code or parameters. Example: await assertSavedDocument(db, viewer, doc, "sort")
 */
export async function assertSavedDocument(db: Client, actor: Actor, doc: PipelineDocument, nodeId: string): Promise<void> {
  const p = await db.pipeline.findFirst({ where: { id: doc.id, ...pipelineScope(actor) }, select: { id: true, document: true } });
  if (!p) throw missingPipeline(doc.id);
  const wanted = executedPart(doc, nodeId);
  const matches = (text: string) => {
    const saved = parseDocument(text).doc;
    return saved !== null && executedPart(saved, nodeId) === wanted;
  };
  if (matches(p.document)) return;
  const versions = await db.pipelineVersion.findMany({ where: { pipelineId: p.id }, orderBy: { version: "desc" }, take: SAVED_VERSIONS_CHECKED, select: { document: true } });
  if (versions.some((v) => matches(v.document))) return;
  throw new AppError("E_FORBIDDEN", { userMessage: `Previewing unsaved changes needs the editor role (you are ${actor.role}); save first or ask an admin` });
}
