// The ONE schema of the pipeline document: canvas, API, compiler, CLI and files on disk all
// use it. Structure is checked here (zod); meaning (columns exist, types check, no cycles) is
// checked by validate.ts and reported as diagnostics, so a half-edited pipeline still parses.
import { z } from "zod";
import { DECLARABLE_TYPES } from "./types";

export const SCHEMA_VERSION = 1 as const;

/** Node ids become Python identifiers (`ds_<id>`) in the generated script, so they are restricted. */
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

/** How a Python UDF runs: stateless tasks, or an actor pool (set-up once per actor). */
export const ComputeSchema = z.object({
  strategy: z.enum(["tasks", "actors"]).default("tasks"),
  minSize: z.number().int().default(1),
  maxSize: z.number().int().default(2),
});
export type Compute = z.infer<typeof ComputeSchema>;

export const ReadParquetParamsSchema = z.object({
  path: z.string().default(""),
  /** Optional subset of columns to read; null/absent = all. */
  columns: z.array(z.string()).nullable().default(null),
  /** s3:// paths: the name of a server-side S3 connection (absent = the environment's default chain). */
  connection: z.string().optional(),
});

export const AddColumnParamsSchema = z.object({
  column: z.string().default(""),
  mode: z.enum(["expression", "python"]).default("expression"),
  /** mode=expression: an expression in the expression language, e.g. `helpful_votes / total_votes`. */
  expression: z.string().default(""),
  /** mode=python: source defining `compute(batch: pandas.DataFrame) -> pandas.Series`. */
  source: z.string().default(""),
  outputType: z.enum(DECLARABLE_TYPES).default("float64"),
  compute: ComputeSchema.default({ strategy: "tasks", minSize: 1, maxSize: 2 }),
  batchSize: z.number().int().nullable().default(null),
});

export const DropColumnsParamsSchema = z.object({
  columns: z.array(z.string()).default([]),
});

export const SortKeySchema = z.object({
  column: z.string(),
  descending: z.boolean().default(false),
});
export const SortParamsSchema = z.object({
  keys: z.array(SortKeySchema).default([]),
});

export const UdfFilterParamsSchema = z.object({
  /** Source defining `keep(batch: pandas.DataFrame)` returning a boolean mask or a row subset. */
  source: z.string().default(""),
  compute: ComputeSchema.default({ strategy: "tasks", minSize: 1, maxSize: 2 }),
  batchSize: z.number().int().nullable().default(null),
});

export const WriteParamsSchema = z.object({
  path: z.string().default(""),
  format: z.enum(["parquet", "csv", "json"]).default("parquet"),
  mode: z.enum(["error", "overwrite", "append"]).default("error"),
  /** s3:// paths: the name of a server-side S3 connection (absent = the environment's default chain). */
  connection: z.string().optional(),
});

const nodeBase = {
  id: z.string(),
  /** Free-text label shown on the canvas; never emitted as code. */
  name: z.string().optional(),
  position: PositionSchema.default({ x: 0, y: 0 }),
};

export const ReadParquetNodeSchema = z.object({ ...nodeBase, kind: z.literal("read-parquet"), params: ReadParquetParamsSchema });
export const AddColumnNodeSchema = z.object({ ...nodeBase, kind: z.literal("add-column"), params: AddColumnParamsSchema });
export const DropColumnsNodeSchema = z.object({ ...nodeBase, kind: z.literal("drop-columns"), params: DropColumnsParamsSchema });
export const SortNodeSchema = z.object({ ...nodeBase, kind: z.literal("sort"), params: SortParamsSchema });
export const UdfFilterNodeSchema = z.object({ ...nodeBase, kind: z.literal("udf-filter"), params: UdfFilterParamsSchema });
export const WriteNodeSchema = z.object({ ...nodeBase, kind: z.literal("write"), params: WriteParamsSchema });

export const NodeSchema = z.discriminatedUnion("kind", [
  ReadParquetNodeSchema,
  AddColumnNodeSchema,
  DropColumnsNodeSchema,
  SortNodeSchema,
  UdfFilterNodeSchema,
  WriteNodeSchema,
]);

export const NODE_KINDS = ["read-parquet", "add-column", "drop-columns", "sort", "udf-filter", "write"] as const;
export type NodeKind = (typeof NODE_KINDS)[number];
export const SOURCE_KINDS: readonly NodeKind[] = ["read-parquet"];
export const SINK_KINDS: readonly NodeKind[] = ["write"];

export const EdgeSchema = z.object({ source: z.string(), target: z.string() });

/**
 * A pipeline document.
 * Example: { schemaVersion: 1, id: "reviews", name: "Reviews", nodes: [...], edges: [{ source: "read", target: "ratio" }] }
 */
export const PipelineDocumentSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string().default("pipeline"),
  name: z.string().default("Untitled pipeline"),
  description: z.string().optional(),
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema),
});

export type PipelineDocument = z.infer<typeof PipelineDocumentSchema>;
export type PipelineNode = z.infer<typeof NodeSchema>;
export type PipelineEdge = z.infer<typeof EdgeSchema>;
export type NodeOfKind<K extends NodeKind> = Extract<PipelineNode, { kind: K }>;
export type ParamsOf<K extends NodeKind> = NodeOfKind<K>["params"];
