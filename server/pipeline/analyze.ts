// The whole-pipeline check the canvas runs on every edit and the compiler runs first: graph
// structure, then each node's own checks and output schema in topological order, then
// document-wide path conflicts. Pure and linear in the size of the document.
import type { Diagnostic } from "./diagnostics";
import type { TypedExpr } from "./expr/ast";
import { analyzeGraph } from "./graph";
import { nodeOutput } from "./kinds";
import type { AnalyzeContext } from "./kinds/spec";
import { checkPipelineCounts } from "./limits";
import { checkNodeIds } from "./node-ids";
import { SOURCE_KINDS, type PipelineDocument } from "./schema";
import type { Schema } from "./types";
import { checkWritePathConflicts } from "./write-conflicts";

export interface Analysis {
  /** Sorted by the node's topological position (document-level first), then code. */
  readonly diagnostics: Diagnostic[];
  /** Topological order (ties by document order); null if the graph has a cycle. */
  readonly order: string[] | null;
  /** The single input of each node; null for sources and for nodes with zero or several inputs. */
  readonly inputOf: ReadonlyMap<string, string | null>;
  readonly outputsOf: ReadonlyMap<string, readonly string[]>;
  /** Output schema per node, where known. */
  readonly schemas: ReadonlyMap<string, Schema>;
  /** Input schema per node, where known. */
  readonly inputSchemas: ReadonlyMap<string, Schema>;
  /** add-column nodes in expression mode whose expression checks. */
  readonly exprs: ReadonlyMap<string, TypedExpr>;
}

/**
 * Checks a pipeline and propagates schemas through it. `ctx` carries facts from outside the
 * pure core (parquet footers, Python syntax checks), keyed by node id.
 * Example: analyze(reviewsPipeline(), { sources: { read: reviewsSource() } }).schemas.get("ratio")?.at(-1)
 *   -> { name: "helpful_ratio", type: "float64", nullable: true }
 */
export function analyze(doc: PipelineDocument, ctx: AnalyzeContext = {}): Analysis {
  const graph = analyzeGraph(doc);
  const diagnostics: Diagnostic[] = [...checkPipelineCounts(doc.nodes.length, doc.edges.length), ...checkNodeIds(doc.nodes.map((n) => n.id)), ...graph.diagnostics];
  const inputOf = new Map<string, string | null>();
  const schemas = new Map<string, Schema>();
  const inputSchemas = new Map<string, Schema>();
  const exprs = new Map<string, TypedExpr>();
  const sorted = new Set(graph.partialOrder);

  for (const id of graph.rank.keys()) {
    const node = graph.nodes.get(id)!;
    const inputs = graph.inputsOf.get(id)!;
    const input = inputs.length === 1 && !SOURCE_KINDS.includes(node.kind) ? inputs[0] : null;
    inputOf.set(id, input);
    // Nodes on or after a cycle get no input schema: it would depend on itself.
    const inSchema = input !== null && sorted.has(id) ? schemas.get(input) ?? null : null;
    if (inSchema) inputSchemas.set(id, inSchema);
    const result = nodeOutput(node, inSchema, ctx);
    diagnostics.push(...result.diagnostics);
    if (result.schema) schemas.set(id, result.schema);
    if (result.typed) exprs.set(id, result.typed);
  }
  diagnostics.push(...checkWritePathConflicts(doc));

  const position = (d: Diagnostic) => (d.nodeId === undefined ? -1 : graph.rank.get(d.nodeId) ?? graph.rank.size);
  diagnostics.sort((a, b) => position(a) - position(b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    diagnostics,
    order: graph.order ? [...graph.order] : null,
    inputOf,
    outputsOf: graph.outputsOf,
    schemas,
    inputSchemas,
    exprs,
  };
}
