// Sources for the canvas: what a read node's path holds (schema, rows, bytes, files, hive
// partitions), from parquet footers only, so the browser can run analyze() itself.
import { z } from "zod";
import { inspectDataset } from "../../storage/parquet-dataset";
import { connectionsFrom } from "../../connections/store";
import { parseS3Uri } from "../../storage/s3";
import { inspectSource, inspectSourceFiles } from "../../services/pipeline-context";
import { SourceReadError } from "../../storage/sample-row";
import { sourceFacts, sourceSample } from "../../preview/facts";
import { resolvePath } from "../../services/pipeline-context";
import { publicProcedure, router } from "../trpc";

const DATA_TYPES = [
  "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
  "string", "binary", "date32", "timestamp", "decimal", "list", "struct", "null", "unknown",
] as const;

export const SourceLookupOut = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    info: z.object({
      path: z.string(),
      schema: z.array(z.object({ name: z.string(), type: z.enum(DATA_TYPES), nullable: z.boolean() })),
      numRows: z.number().nullable(),
      sizeBytes: z.number().nullable(),
      files: z.number().nullable(),
      partitionKeys: z.array(z.string()),
    }),
  }),
  z.object({ ok: z.literal(false), code: z.enum(["E_SOURCE_NOT_FOUND", "E_SOURCE_UNREADABLE"]), message: z.string() }),
]);

const ColumnOut = z.object({ name: z.string(), type: z.enum(DATA_TYPES), nullable: z.boolean() });

export const SourceFactsOut = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    facts: z.object({
      path: z.string(),
      numRows: z.number().nullable(),
      sizeBytes: z.number().nullable(),
      files: z.number().nullable(),
      partitionKeys: z.array(z.string()),
      /** Distinct partition directories. */
      partitionCount: z.number(),
      /** Per partition key, its first 20 distinct values. */
      partitionValues: z.record(z.string(), z.array(z.string())),
      schema: z.array(ColumnOut),
    }),
  }),
  z.object({ ok: z.literal(false), code: z.enum(["E_SOURCE_NOT_FOUND", "E_SOURCE_UNREADABLE"]), message: z.string() }),
]);

export const SourceSampleOut = z.discriminatedUnion("ok", [
  /** The first row (one page of one row group); null when the source has no rows or is on S3. */
  z.object({ ok: z.literal(true), sample: z.record(z.string(), z.json()).nullable() }),
  z.object({ ok: z.literal(false), code: z.enum(["E_SOURCE_NOT_FOUND", "E_SOURCE_UNREADABLE"]), message: z.string() }),
]);

export const sourcesRouter = router({
  /**
   * Footer facts for a path as the pipeline would read it (relative paths resolve against the
   * server's base directory). The path in the answer is the one asked for, never the resolved one.
   */
  inspect: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096), connection: z.string().max(64).optional() }))
    .output(SourceLookupOut)
    .query(async ({ ctx, input }) => {
      const lookup = parseS3Uri(input.path)
        ? await inspectSource(input.path, input.connection, connectionsFrom(ctx.db))
        : await inspectDataset(resolvePath(input.path.trim()));
      if (!lookup.ok) return { ok: false as const, code: lookup.code, message: lookup.message.replaceAll(resolvePath(input.path.trim()), input.path.trim()) };
      return { ok: true as const, info: { ...lookup.info, path: input.path, schema: [...lookup.info.schema], partitionKeys: [...lookup.info.partitionKeys] } };
    }),
  /**
   * Dataset facts for a source node, without reading row data: row count and schema from the
   * parquet footers, total bytes, files and hive partitions (the sample row is sources.sample).
   * Example: `{ ok: true, facts: { numRows: 200000, files: 12, partitionCount: 12, ... } }`
   */
  facts: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096), connection: z.string().max(64).optional() }))
    .output(SourceFactsOut)
    .query(async ({ ctx, input }) => {
      const shown = input.path.trim();
      if (parseS3Uri(shown)) {
        // S3: footers through ranged GETs; no sample row (that would download a data page)
        const s3 = await inspectSourceFiles(shown, input.connection, connectionsFrom(ctx.db));
        if (!s3.ok) return { ok: false as const, code: s3.code, message: s3.message };
        const info = s3.facts.info;
        return {
          ok: true as const,
          facts: {
            path: shown, numRows: info.numRows, sizeBytes: info.sizeBytes, files: info.files, partitionKeys: [...info.partitionKeys],
            partitionCount: s3.facts.partitionCount,
            partitionValues: Object.fromEntries(Object.entries(s3.facts.partitionValues).map(([k, v]) => [k, [...v]])),
            schema: [...info.schema],
          },
        };
      }
      const abs = resolvePath(shown);
      const hide = (m: string) => m.replaceAll(abs, shown);
      const r = await sourceFacts(abs);
      if (!r.ok) return { ok: false as const, code: r.code, message: hide(r.message) };
      const { info } = r.facts;
      return {
        ok: true as const,
        facts: {
          path: shown,
          numRows: info.numRows,
          sizeBytes: info.sizeBytes,
          files: info.files,
          partitionKeys: [...info.partitionKeys],
          partitionCount: r.facts.partitionCount,
          partitionValues: Object.fromEntries(Object.entries(r.facts.partitionValues).map(([k, v]) => [k, [...v]])),
          schema: [...info.schema],
        },
      };
    }),
  /**
   * One sample row of a local source (the first row of its first non-empty file: a data page
   * per column, cached per file version); null for S3 sources, where it would download data.
   * Example: `{ ok: true, sample: { marketplace: "US", star_rating: 5, ... } }`
   */
  sample: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096), connection: z.string().max(64).optional() }))
    .output(SourceSampleOut)
    .query(async ({ input }) => {
      const shown = input.path.trim();
      if (parseS3Uri(shown)) return { ok: true as const, sample: null };
      const abs = resolvePath(shown);
      try {
        const r = await sourceSample(abs);
        if (!r.ok) return { ok: false as const, code: r.code, message: r.message.replaceAll(abs, shown) };
        return { ok: true as const, sample: r.sample as Record<string, z.core.util.JSONType> | null };
      } catch (e) {
        if (e instanceof SourceReadError) return { ok: false as const, code: e.code, message: e.message.replaceAll(abs, shown) };
        throw e;
      }
    }),
});
