// Sources for the canvas: what a read node's path holds (schema, rows, bytes, files, hive
// partitions), from parquet footers only, so the browser can run analyze() itself.
import { z } from "zod";
import { inspectDataset } from "../../storage/parquet-dataset";
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

export const sourcesRouter = router({
  /**
   * Footer facts for a path as the pipeline would read it (relative paths resolve against the
   * server's base directory). The path in the answer is the one asked for, never the resolved one.
   */
  inspect: publicProcedure
    .input(z.object({ path: z.string().min(1).max(4096) }))
    .output(SourceLookupOut)
    .query(async ({ input }) => {
      const lookup = await inspectDataset(resolvePath(input.path.trim()));
      if (!lookup.ok) return { ok: false as const, code: lookup.code, message: lookup.message.replaceAll(resolvePath(input.path.trim()), input.path.trim()) };
      return { ok: true as const, info: { ...lookup.info, path: input.path, schema: [...lookup.info.schema], partitionKeys: [...lookup.info.partitionKeys] } };
    }),
});
