// The preview contract (zod): what preview.node answers — sample rows after a node, or an
// error pinned to a node — shared by the service, the tRPC router, the CLI and the panel.
import { z } from "zod";

export const PREVIEW_ERROR_CODES = [
  "INVALID", // the sub-graph up to the node has errors (diagnostics)
  "NOT_FOUND", // no such node
  "SOURCE_ERROR", // the source cannot be listed or read
  "UDF_ERROR", // user Python raised (node + line in the user's code)
  "NODE_ERROR", // a node's generated code failed (e.g. a cast), pinned to the node
  "TIMEOUT", // ran past the limit: the worker was killed and restarted
  "CANCELLED", // a newer preview of the same node replaced this one
  "WORKER_DIED",
  "WORKER_START_FAILED",
  "WORKER_STOPPED",
  "PREVIEW_UNSUPPORTED",
  "PREVIEW_FAILED",
] as const;
export type PreviewErrorCode = (typeof PREVIEW_ERROR_CODES)[number];

export const PreviewColumnSchema = z.object({ name: z.string(), type: z.string() });
export type PreviewColumn = z.infer<typeof PreviewColumnSchema>;

export const PreviewErrorSchema = z.object({
  code: z.enum(PREVIEW_ERROR_CODES),
  /** The node the error belongs to (the UDF that raised, the node that failed); may be upstream of the previewed node. */
  nodeId: z.string().nullable(),
  message: z.string(),
  /** Line in the user's own Python source (UDF errors), or of the diagnostic. */
  line: z.number().int().nullable(),
  traceback: z.array(z.string()).optional(),
});
export type PreviewError = z.infer<typeof PreviewErrorSchema>;

const common = {
  /** The previewed node. */
  nodeId: z.string(),
  /** Served from the preview cache (same upstream sub-graph and source files). */
  cached: z.boolean(),
  /** Server time for this answer, in milliseconds. */
  ms: z.number(),
};

export const PreviewOkSchema = z.object({
  ok: z.literal(true),
  ...common,
  columns: z.array(PreviewColumnSchema),
  /** Rows as arrays aligned with `columns`; JSON-safe values (see etl_runtime/preview/rows.py). */
  rows: z.array(z.array(z.json())),
  /** Rows shown (at most the rows asked for). */
  sampleRows: z.number().int(),
  /** Rows the sample produced after the node (>= sampleRows). */
  outputRows: z.number().int(),
  /** Source rows read to produce them (the sample). */
  sourceRowsRead: z.number().int(),
  /** True when the source has more rows than the sample read. */
  sourceTruncated: z.boolean(),
});

export const PreviewFailedSchema = z.object({ ok: z.literal(false), ...common, error: PreviewErrorSchema });

export const PreviewResultSchema = z.discriminatedUnion("ok", [PreviewOkSchema, PreviewFailedSchema]);
export type PreviewResult = z.infer<typeof PreviewResultSchema>;
export type PreviewOk = z.infer<typeof PreviewOkSchema>;
