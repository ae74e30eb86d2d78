// What an actor may see: pipelines of its workspaces, and everything hanging off them (versions,
// runs, schedules, webhooks, previews by pipeline id). An object of another workspace is
// NOT_FOUND with the same message as a missing one, so its existence does not leak. Actors
// with workspaceIds null (admins, single-user mode, the scheduler) see every workspace.
// Runs have no foreign key to Pipeline (they outlive it): a scoped actor sees the runs of the
// pipelines it can see, so runs of a deleted pipeline are visible only to unscoped actors.
import type { Prisma } from "@prisma/client";
import type { Db } from "../db";
import { AppError } from "../errors";
import { serializeDocument } from "../pipeline";
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
 * Below editor, a preview may only run a document someone with the editor role saved (the
 * current or an old version of a pipeline the actor sees): previews run the pipeline's Python,
 * so a viewer must not be able to send code of their own. Throws NOT_FOUND for a pipeline the
 * actor does not see, FORBIDDEN for changed (unsaved) documents.
 * Example: await assertSavedDocument(db, viewer, doc) // passes for the saved reviews pipeline
 */
export async function assertSavedDocument(db: Client, actor: Actor, doc: PipelineDocument): Promise<void> {
  const p = await db.pipeline.findFirst({ where: { id: doc.id, ...pipelineScope(actor) }, select: { id: true, document: true } });
  if (!p) throw missingPipeline(doc.id);
  const text = serializeDocument({ ...doc, id: p.id });
  if (p.document === text) return;
  if (await db.pipelineVersion.findFirst({ where: { pipelineId: p.id, document: text }, select: { id: true } })) return;
  throw new AppError("E_FORBIDDEN", { userMessage: `Previewing unsaved changes needs the editor role (you are ${actor.role}); save first or ask an admin` });
}
