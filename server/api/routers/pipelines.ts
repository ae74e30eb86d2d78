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

const PipelineSummary = z.object({ id: z.string(), name: z.string(), version: z.number(), updatedAt: z.string() });
const summary = (p: { id: string; name: string; version: number; updatedAt: Date }) => ({ ...p, updatedAt: p.updatedAt.toISOString() });
const PipelineOut = PipelineSummary.extend({ document: PipelineDocumentSchema });

function decode(text: string): PipelineDocument {
  const { doc, diagnostics } = parseDocument(text);
  if (!doc) throw new AppError("INTERNAL", { userMessage: "A stored pipeline could not be read", diagnostics });
  return doc;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "pipeline";

export const pipelinesRouter = router({
  list: publicProcedure.output(z.array(PipelineSummary)).query(async ({ ctx }) =>
    (await ctx.db.pipeline.findMany({ select: { id: true, name: true, version: true, updatedAt: true }, orderBy: { updatedAt: "desc" } })).map(summary),
  ),

  get: publicProcedure
    .input(z.object({ id: z.string() }))
    .output(PipelineOut)
    .query(async ({ ctx, input }) => {
      const p = await ctx.db.pipeline.findUnique({ where: { id: input.id } });
      if (!p) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' does not exist` });
      return { ...summary(p), document: decode(p.document) };
    }),

  /** Creates a pipeline from a name (empty graph) or an imported document (checked first). */
  create: publicProcedure
    .input(z.object({ name: z.string().min(1).max(200), document: z.unknown().optional() }))
    .output(PipelineSummary)
    .mutation(async ({ ctx, input }) => {
      let doc: PipelineDocument = { schemaVersion: SCHEMA_VERSION, id: "pipeline", name: input.name, nodes: [], edges: [] };
      if (input.document !== undefined) {
        const parsed = parseDocument(input.document);
        if (!parsed.doc) throw new AppError("PIPELINE_INVALID", { userMessage: parsed.diagnostics[0]?.message ?? "Invalid pipeline", diagnostics: parsed.diagnostics });
        doc = parsed.doc;
      }
      const base = slug(input.name);
      let id = base;
      for (let i = 2; await ctx.db.pipeline.findUnique({ where: { id } }); i++) id = `${base}-${i}`;
      doc = { ...doc, id, name: input.name };
      const text = serializeDocument(doc);
      return summary(
        await ctx.db.pipeline.create({
          data: { id, name: input.name, document: text, version: 1, versions: { create: { version: 1, document: text } } },
          select: { id: true, name: true, version: true, updatedAt: true },
        }),
      );
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
      return ctx.db.$transaction(async (tx) => {
        const next = input.expectedVersion + 1;
        const updated = await tx.pipeline.updateMany({
          where: { id: input.id, version: input.expectedVersion },
          data: { document: text, version: next, name: doc.name },
        });
        if (updated.count === 0) {
          const current = await tx.pipeline.findUnique({ where: { id: input.id }, select: { version: true } });
          if (!current) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' does not exist` });
          throw new AppError("CONFLICT", {
            userMessage: `This pipeline was saved elsewhere (version ${current.version}; you edited version ${input.expectedVersion}). Reload or overwrite.`,
          });
        }
        await tx.pipelineVersion.create({ data: { pipelineId: input.id, version: next, document: text } });
        return { version: next };
      });
    }),

  delete: publicProcedure
    .input(z.object({ id: z.string() }))
    .output(z.object({ deleted: z.boolean() }))
    .mutation(async ({ ctx, input }) => ({ deleted: (await ctx.db.pipeline.deleteMany({ where: { id: input.id } })).count > 0 })),

  versions: publicProcedure
    .input(z.object({ id: z.string() }))
    .output(z.array(z.object({ version: z.number(), createdAt: z.string() })))
    .query(async ({ ctx, input }) =>
      (await ctx.db.pipelineVersion.findMany({ where: { pipelineId: input.id }, select: { version: true, createdAt: true }, orderBy: { version: "desc" } }))
        .map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString() })),
    ),

  /** Renames a pipeline: a new version whose document carries the new name (CONFLICT if stale). */
  rename: publicProcedure
    .input(z.object({ id: z.string(), name: z.string().trim().min(1).max(200), expectedVersion: z.number().int().optional() }))
    .output(PipelineSummary)
    .mutation(async ({ ctx, input }) => {
      const p = await ctx.db.pipeline.findUnique({ where: { id: input.id } });
      if (!p) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' does not exist` });
      const doc = { ...decode(p.document), name: input.name };
      return summary(await commitVersion(ctx.db, input.id, input.expectedVersion ?? p.version, doc));
    }),

  /** Copies a pipeline (current document) under a new id and name "<name> (copy)". */
  duplicate: publicProcedure
    .input(z.object({ id: z.string(), name: z.string().trim().min(1).max(200).optional() }))
    .output(PipelineSummary)
    .mutation(async ({ ctx, input }) => {
      const p = await ctx.db.pipeline.findUnique({ where: { id: input.id } });
      if (!p) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' does not exist` });
      const name = input.name ?? `${p.name} (copy)`;
      const id = await freeId(ctx.db, name);
      const text = serializeDocument({ ...decode(p.document), id, name });
      return summary(
        await ctx.db.pipeline.create({
          data: { id, name, document: text, version: 1, versions: { create: { version: 1, document: text } } },
          select: { id: true, name: true, version: true, updatedAt: true },
        }),
      );
    }),

  /** Restores an old version by saving its document as a new version (CONFLICT if `expectedVersion` is stale). */
  restore: publicProcedure
    .input(z.object({ id: z.string(), version: z.number().int(), expectedVersion: z.number().int() }))
    .output(PipelineOut)
    .mutation(async ({ ctx, input }) => {
      const old = await ctx.db.pipelineVersion.findUnique({ where: { pipelineId_version: { pipelineId: input.id, version: input.version } } });
      if (!old) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.id}' has no version ${input.version}` });
      const doc = { ...decode(old.document), id: input.id };
      const saved = await commitVersion(ctx.db, input.id, input.expectedVersion, doc);
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

/** Writes `doc` as version expectedVersion + 1, or throws CONFLICT / NOT_FOUND. */
async function commitVersion(database: Db, id: string, expectedVersion: number, doc: PipelineDocument) {
  const text = serializeDocument({ ...doc, id });
  return database.$transaction(async (tx) => {
    const next = expectedVersion + 1;
    const updated = await tx.pipeline.updateMany({ where: { id, version: expectedVersion }, data: { document: text, version: next, name: doc.name } });
    if (updated.count === 0) {
      const current = await tx.pipeline.findUnique({ where: { id }, select: { version: true } });
      if (!current) throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${id}' does not exist` });
      throw new AppError("CONFLICT", {
        userMessage: `This pipeline was saved elsewhere (version ${current.version}; you edited version ${expectedVersion}). Reload or overwrite.`,
      });
    }
    await tx.pipelineVersion.create({ data: { pipelineId: id, version: next, document: text } });
    return tx.pipeline.findUniqueOrThrow({ where: { id }, select: { id: true, name: true, version: true, updatedAt: true } });
  });
}

/** A free id derived from a name: "reviews", "reviews-2", ... */
async function freeId(database: Db, name: string): Promise<string> {
  const base = slug(name);
  let id = base;
  for (let i = 2; await database.pipeline.findUnique({ where: { id } }); i++) id = `${base}-${i}`;
  return id;
}
