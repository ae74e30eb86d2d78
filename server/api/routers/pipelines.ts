// Pipelines: list, read, create, save with optimistic concurrency (a stale version is refused
// as a conflict, never overwritten silently), version history, and check/compile on demand.
import { z } from "zod";
import { compile } from "../../compiler";
import { AppError } from "../../errors";
import { analyze, checkDocumentBytes, checkPipelineCounts, parseDocument, serializeDocument } from "../../pipeline";
import { PipelineDocumentSchema, SCHEMA_VERSION, type PipelineDocument } from "../../pipeline/schema";
import { gatherContext } from "../../services/pipeline-context";
import { connectionsFrom } from "../../connections/store";
import type { Db } from "../../db";
import type { Actor } from "../../auth/actor";
import { pipelineScope, targetWorkspace, visiblePipeline } from "../../auth/workspace-scope";
import { recordAudit, type AuditAction } from "../../audit/audit";
import { publicProcedure, router } from "../trpc";

const DiagnosticOut = z.object({
  code: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  nodeId: z.string().optional(),
  field: z.string().optional(),
  range: z.tuple([z.number(), z.number()]).readonly().optional(),
  line: z.number().optional(),
  hint: z.string().optional(),
});
const ColumnOut = z.object({ name: z.string(), type: z.string(), nullable: z.boolean() });

const PipelineSummary = z.object({ id: z.string(), name: z.string(), version: z.number(), updatedAt: z.string(), workspaceId: z.string() });
const summary = (p: { id: string; name: string; version: number; updatedAt: Date; workspaceId: string }) => ({
  id: p.id, name: p.name, version: p.version, updatedAt: p.updatedAt.toISOString(), workspaceId: p.workspaceId,
});
const SUMMARY_SELECT = { id: true, name: true, version: true, updatedAt: true, workspaceId: true } as const;
const PipelineOut = PipelineSummary.extend({ document: PipelineDocumentSchema });

function decode(text: string): PipelineDocument {
  const { doc, diagnostics } = parseDocument(text);
  if (!doc) throw new AppError("INTERNAL", { userMessage: "A stored pipeline could not be read", diagnostics });
  return doc;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "pipeline";

export const pipelinesRouter = router({
  /** The pipelines of the caller's workspaces (optionally of one of them), newest first. */
  list: publicProcedure
    .input(z.object({ workspaceId: z.string().max(200).optional() }).optional())
    .output(z.array(PipelineSummary))
    .query(async ({ ctx, input }) =>
      (await ctx.db.pipeline.findMany({
        where: { AND: [pipelineScope(ctx.actor), input?.workspaceId ? { workspaceId: input.workspaceId } : {}] },
        select: SUMMARY_SELECT,
        orderBy: { updatedAt: "desc" },
      })).map(summary),
    ),

  get: publicProcedure
    .input(z.object({ id: z.string() }))
    .output(PipelineOut)
    .query(async ({ ctx, input }) => {
      const p = await ctx.db.pipeline.findFirst({ where: { id: input.id, ...pipelineScope(ctx.actor) } });
      if (!p) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' does not exist` });
      return { ...summary(p), document: decode(p.document) };
    }),

  /**
   * Creates a pipeline from a name (empty graph) or an imported document (checked first), in
   * `workspaceId` (one of the caller's; default: the caller's first workspace, or "default").
   */
  create: publicProcedure
    .input(z.object({ name: z.string().min(1).max(200), document: z.unknown().optional(), workspaceId: z.string().max(200).optional() }))
    .output(PipelineSummary)
    .mutation(async ({ ctx, input }) => {
      let doc: PipelineDocument = { schemaVersion: SCHEMA_VERSION, id: "pipeline", name: input.name, nodes: [], edges: [] };
      if (input.document !== undefined) {
        const parsed = parseDocument(input.document);
        if (!parsed.doc) throw new AppError("PIPELINE_INVALID", { userMessage: parsed.diagnostics[0]?.message ?? "Invalid pipeline", diagnostics: parsed.diagnostics });
        doc = parsed.doc;
      }
      const workspaceId = await targetWorkspace(ctx.db, ctx.actor, input.workspaceId);
      const id = await freeId(ctx.db, input.name);
      const text = serializeDocument({ ...doc, id, name: input.name });
      const action = input.document !== undefined ? "pipeline.import" : "pipeline.create";
      return summary(await createPipeline(ctx.db, ctx.actor, { id, name: input.name, text, workspaceId }, action, {}));
    }),

  /** Saves a new version if `expectedVersion` is current; otherwise CONFLICT with the current version. */
  save: publicProcedure
    .input(z.object({ id: z.string(), expectedVersion: z.number().int(), document: PipelineDocumentSchema }))
    .output(z.object({ version: z.number() }))
    .mutation(async ({ ctx, input }) => {
      const doc = { ...input.document, id: input.id };
      const text = serializeDocument(doc);
      // Half-edited pipelines are saved (their problems show on the canvas), oversized ones are not.
      const tooLarge = [...checkPipelineCounts(doc.nodes.length, doc.edges.length), ...checkDocumentBytes(text)];
      if (tooLarge.length) throw new AppError("PIPELINE_INVALID", { userMessage: tooLarge[0].message, diagnostics: tooLarge });
      const saved = await commitVersion(ctx.db, ctx.actor, input.id, input.expectedVersion, doc, "pipeline.save");
      return { version: saved.version };
    }),

  /** Deletes a pipeline (its versions, schedules and webhook go with it; runs stay). */
  delete: publicProcedure
    .input(z.object({ id: z.string() }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const p = await tx.pipeline.findFirst({ where: { id: input.id, ...pipelineScope(ctx.actor) }, select: { id: true, name: true, version: true, workspaceId: true } });
        if (!p) return { deleted: false };
        await tx.pipeline.delete({ where: { id: p.id } });
        await recordAudit(tx, ctx.actor, {
          action: "pipeline.delete", targetType: "pipeline", targetId: p.id, pipelineId: p.id, version: p.version, workspaceId: p.workspaceId, detail: { name: p.name },
        });
        return { deleted: true };
      }),
    ),

  /** Saved versions, newest first, with who saved each (a user id, "local" in single-user mode). */
  versions: publicProcedure
    .input(z.object({ id: z.string() }))
    .output(z.array(z.object({ version: z.number(), createdAt: z.string(), savedBy: z.string(), savedByName: z.string().nullable() })))
    .query(async ({ ctx, input }) => {
      await visiblePipeline(ctx.db, ctx.actor, input.id);
      const rows = await ctx.db.pipelineVersion.findMany({ where: { pipelineId: input.id }, select: { version: true, createdAt: true, savedBy: true }, orderBy: { version: "desc" } });
      const users = await ctx.db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.savedBy))] } }, select: { id: true, name: true, email: true } });
      const names = new Map(users.map((u) => [u.id, u.name || u.email]));
      return rows.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString(), savedBy: v.savedBy, savedByName: names.get(v.savedBy) ?? null }));
    }),

  /** Renames a pipeline: a new version whose document carries the new name (CONFLICT if stale). */
  rename: publicProcedure
    .input(z.object({ id: z.string(), name: z.string().trim().min(1).max(200), expectedVersion: z.number().int().optional() }))
    .output(PipelineSummary)
    .mutation(async ({ ctx, input }) => {
      const p = await ctx.db.pipeline.findFirst({ where: { id: input.id, ...pipelineScope(ctx.actor) } });
      if (!p) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' does not exist` });
      const doc = { ...decode(p.document), name: input.name };
      return summary(await commitVersion(ctx.db, ctx.actor, input.id, input.expectedVersion ?? p.version, doc, "pipeline.rename", { from: p.name, to: input.name }));
    }),

  /** Copies a pipeline (current document) under a new id and name "<name> (copy)". */
  duplicate: publicProcedure
    .input(z.object({ id: z.string(), name: z.string().trim().min(1).max(200).optional() }))
    .output(PipelineSummary)
    .mutation(async ({ ctx, input }) => {
      const p = await ctx.db.pipeline.findFirst({ where: { id: input.id, ...pipelineScope(ctx.actor) } });
      if (!p) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' does not exist` });
      const name = input.name ?? `${p.name} (copy)`;
      const id = await freeId(ctx.db, name);
      const text = serializeDocument({ ...decode(p.document), id, name });
      // the copy stays in the original's workspace
      return summary(await createPipeline(ctx.db, ctx.actor, { id, name, text, workspaceId: p.workspaceId }, "pipeline.duplicate", { from: p.id, fromVersion: p.version }));
    }),

  /** Restores an old version by saving its document as a new version (CONFLICT if `expectedVersion` is stale). */
  restore: publicProcedure
    .input(z.object({ id: z.string(), version: z.number().int(), expectedVersion: z.number().int() }))
    .output(PipelineOut)
    .mutation(async ({ ctx, input }) => {
      await visiblePipeline(ctx.db, ctx.actor, input.id);
      const old = await ctx.db.pipelineVersion.findUnique({ where: { pipelineId_version: { pipelineId: input.id, version: input.version } } });
      if (!old) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' has no version ${input.version}` });
      const doc = { ...decode(old.document), id: input.id };
      const saved = await commitVersion(ctx.db, ctx.actor, input.id, input.expectedVersion, doc, "pipeline.restore", { restoredVersion: input.version });
      return { ...summary(saved), document: doc };
    }),

  /** Diagnostics and the schema flowing out of every node, for the canvas. */
  check: publicProcedure
    .input(z.object({ document: z.unknown() }))
    .output(z.object({ diagnostics: z.array(DiagnosticOut), schemas: z.record(z.string(), z.array(ColumnOut)) }))
    .mutation(async ({ ctx, input }) => {
      const parsed = parseDocument(input.document);
      if (!parsed.doc) return { diagnostics: parsed.diagnostics as z.infer<typeof DiagnosticOut>[], schemas: {} };
      const analysis = analyze(parsed.doc, await gatherContext(parsed.doc, undefined, connectionsFrom(ctx.db)));
      return {
        diagnostics: [...parsed.diagnostics, ...analysis.diagnostics] as z.infer<typeof DiagnosticOut>[],
        schemas: Object.fromEntries([...analysis.schemas].map(([id, s]) => [id, s.map((c) => ({ ...c }))])),
      };
    }),

  /** The generated Ray script and its source map (node id -> [first, last] line). */
  compile: publicProcedure
    .input(z.object({ document: z.unknown() }))
    .output(z.object({ python: z.string().nullable(), sourceMap: z.record(z.string(), z.tuple([z.number(), z.number()])), diagnostics: z.array(DiagnosticOut) }))
    .mutation(async ({ ctx, input }) => {
      const parsed = parseDocument(input.document);
      if (!parsed.doc) return { python: null, sourceMap: {}, diagnostics: parsed.diagnostics as z.infer<typeof DiagnosticOut>[] };
      const out = compile(parsed.doc, await gatherContext(parsed.doc, undefined, connectionsFrom(ctx.db)));
      return { python: out.python, sourceMap: out.sourceMap as Record<string, [number, number]>, diagnostics: out.diagnostics as z.infer<typeof DiagnosticOut>[] };
    }),
});

/**
 * Writes `doc` as version expectedVersion + 1 (saved by `actor`, audited as `action` in the same
 * transaction), or throws CONFLICT / NOT_FOUND (also for a pipeline of another workspace).
 */
async function commitVersion(database: Db, actor: Actor, id: string, expectedVersion: number, doc: PipelineDocument, action: AuditAction, detail: Record<string, unknown> = {}) {
  const text = serializeDocument({ ...doc, id });
  return database.$transaction(async (tx) => {
    const next = expectedVersion + 1;
    const scope = pipelineScope(actor);
    const updated = await tx.pipeline.updateMany({ where: { id, version: expectedVersion, ...scope }, data: { document: text, version: next, name: doc.name } });
    if (updated.count === 0) {
      const current = await tx.pipeline.findFirst({ where: { id, ...scope }, select: { version: true } });
      if (!current) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${id}' does not exist` });
      throw new AppError("CONFLICT", {
        userMessage: `This pipeline was saved elsewhere (version ${current.version}; you edited version ${expectedVersion}). Reload or overwrite.`,
      });
    }
    await tx.pipelineVersion.create({ data: { pipelineId: id, version: next, document: text, savedBy: actor.id } });
    const saved = await tx.pipeline.findUniqueOrThrow({ where: { id }, select: SUMMARY_SELECT });
    await recordAudit(tx, actor, { action, targetType: "pipeline", targetId: id, pipelineId: id, version: next, workspaceId: saved.workspaceId, detail });
    return saved;
  });
}

/** Inserts a pipeline at version 1 with its first version and audit row, in one transaction. */
async function createPipeline(database: Db, actor: Actor, p: { id: string; name: string; text: string; workspaceId: string }, action: AuditAction, detail: Record<string, unknown>) {
  return database.$transaction(async (tx) => {
    const created = await tx.pipeline.create({
      data: { id: p.id, name: p.name, document: p.text, workspaceId: p.workspaceId, version: 1, versions: { create: { version: 1, document: p.text, savedBy: actor.id } } },
      select: SUMMARY_SELECT,
    });
    await recordAudit(tx, actor, { action, targetType: "pipeline", targetId: p.id, pipelineId: p.id, version: 1, workspaceId: p.workspaceId, detail: { name: p.name, ...detail } });
    return created;
  });
}

/** A free id derived from a name: "reviews", "reviews-2", ... */
async function freeId(database: Db, name: string): Promise<string> {
  const base = slug(name);
  let id = base;
  for (let i = 2; await database.pipeline.findUnique({ where: { id } }); i++) id = `${base}-${i}`;
  return id;
}
