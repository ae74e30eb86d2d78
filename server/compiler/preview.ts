// Preview compilation: the sub-graph ending at one node (its ancestors + the node + a synthetic
// parquet sink) goes through the same analyze -> lower -> passes as a run, then is emitted as a
// preview module (emit/ray-preview.ts). compile(previewSubgraph(...).doc) gives the script a
// real run of the same sub-graph executes; the parity test runs both.
import { analyze } from "../pipeline";
import type { PipelineDocument, PipelineNode } from "../pipeline/schema";
import { diag, hasErrors, type Diagnostic } from "../pipeline/diagnostics";
import type { Schema } from "../pipeline/types";
import type { CompileContext } from "./compile";
import type { Ir } from "./ir";
import { lower } from "./lower";
import { runPasses } from "./passes";
import { emitPreviewModule } from "./emit/ray-preview";

/** Where the synthetic sink "writes" when nobody runs it (previews never write). */
export const PREVIEW_SINK_PATH = "/nonexistent/etl-preview-sink";

export interface PreviewSubgraph {
  /** The previewed node's ancestors, the node itself (unless it is a write) and the sink. */
  readonly doc: PipelineDocument;
  /** Id of the synthetic write node added to `doc`. */
  readonly sinkId: string;
  /** The node whose rows the preview shows: the node itself, or a write's input. */
  readonly dataNode: string;
  /** Ids of the previewed node and its ancestors, in document order. */
  readonly upstream: readonly string[];
}

/**
 * The sub-graph a preview of `nodeId` runs; null when the node does not exist or is a write
 * with no input. Positions and names are kept (they do not change the code).
 * Example: previewSubgraph(doc, "sort")!.doc.nodes.map((n) => n.id) // ["read", "ratio", "drop", "sort", "preview_sink"]
 */
export function previewSubgraph(doc: PipelineDocument, nodeId: string, sinkPath = PREVIEW_SINK_PATH): PreviewSubgraph | null {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const target = byId.get(nodeId);
  if (!target) return null;
  const inputsOf = new Map<string, string[]>();
  for (const e of doc.edges) inputsOf.set(e.target, [...(inputsOf.get(e.target) ?? []), e.source]);

  const keep = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length) {
    for (const src of inputsOf.get(stack.pop()!) ?? []) {
      if (!keep.has(src) && byId.has(src)) {
        keep.add(src);
        stack.push(src);
      }
    }
  }
  let dataNode = nodeId;
  if (target.kind === "write") {
    const inputs = (inputsOf.get(nodeId) ?? []).filter((s) => byId.has(s));
    if (inputs.length !== 1) return null;
    keep.delete(nodeId);
    dataNode = inputs[0];
  }
  let sinkId = "preview_sink";
  for (let i = 2; byId.has(sinkId); i++) sinkId = `preview_sink_${i}`;
  const sink: PipelineNode = { id: sinkId, kind: "write", params: { path: sinkPath, format: "parquet", mode: "overwrite" }, position: { x: 0, y: 0 } };
  const nodes = doc.nodes.filter((n) => keep.has(n.id));
  const edges = doc.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
  return {
    doc: { ...doc, nodes: [...nodes, sink], edges: [...edges, { source: dataNode, target: sinkId }] },
    sinkId,
    dataNode,
    upstream: doc.nodes.filter((n) => n.id === nodeId || keep.has(n.id)).map((n) => n.id),
  };
}

export interface PreviewCompileResult {
  /** The preview module, or null when the sub-graph has errors (see diagnostics). */
  readonly python: string | null;
  /** Diagnostics of the sub-graph (errors block the preview). */
  readonly diagnostics: Diagnostic[];
  readonly subgraph: PreviewSubgraph | null;
  /** The optimised IR the module came from (synthetic sink included). */
  readonly ir: Ir | null;
  /** The read feeding the preview: its node, path as written, and the columns it keeps (null = all). */
  readonly read: { readonly nodeId: string; readonly path: string; readonly columns: readonly string[] | null } | null;
  /** Columns after the previewed node as analysis sees them (for an empty result). */
  readonly schema: Schema | null;
}

/**
 * Compile the preview of one node (throws RangeError if there is no such node).
 * Example:
 *   const { python, read } = compilePreview(doc, "keep", { sources: { read: lookup } });
 *   python // "...def build_preview(read_sample):\n    # [read] ...\n    ds_read = read_sample(rt.path(\"data/reviews\"), ..."
 *   read   // { nodeId: "read", path: "data/reviews", columns: [...] }
 */
export function compilePreview(doc: PipelineDocument, nodeId: string, ctx: CompileContext = {}): PreviewCompileResult {
  if (!doc.nodes.some((n) => n.id === nodeId)) throw new RangeError(`compilePreview: no node ${JSON.stringify(nodeId)} in the pipeline`);
  const subgraph = previewSubgraph(doc, nodeId);
  if (!subgraph) {
    const diagnostics = [diag("E_INPUT_MISSING", "This write has no single input to preview", { nodeId })];
    return { python: null, diagnostics, subgraph: null, ir: null, read: null, schema: null };
  }
  const analysis = analyze(subgraph.doc, { sources: ctx.sources, python: ctx.python });
  const diagnostics = [...analysis.diagnostics];
  const schema = analysis.schemas.get(subgraph.dataNode) ?? null;
  if (hasErrors(diagnostics) || analysis.order === null) return { python: null, diagnostics, subgraph, ir: null, read: null, schema };
  const ir = runPasses(lower(subgraph.doc, analysis, { version: ctx.header?.version ?? null, python: ctx.python }));
  const readOp = ir.ops.find((o) => o.kind === "read");
  const read = readOp && readOp.kind === "read" ? { nodeId: readOp.nodeId, path: readOp.path, columns: readOp.columns } : null;
  return { python: emitPreviewModule(ir, nodeId).python, diagnostics, subgraph, ir, read, schema };
}
