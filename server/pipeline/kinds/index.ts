// Registry of node kinds. Its type maps every NodeKind to a spec, so adding a kind to the
// schema without writing its spec fails the type check.
import type { NodeKind, PipelineNode } from "../schema";
import type { Schema } from "../types";
import { addColumn } from "./add-column";
import { dropColumns } from "./drop-columns";
import { readParquet } from "./read-parquet";
import { sort } from "./sort";
import type { AnalyzeContext, KindResult, NodeKindSpec } from "./spec";
import { udfFilter } from "./udf-filter";
import { write } from "./write";

export type { AnalyzeContext, KindResult, NodeKindSpec, PythonCheck } from "./spec";

export const KINDS: { readonly [K in NodeKind]: NodeKindSpec<K> } = {
  "read-parquet": readParquet,
  "add-column": addColumn,
  "drop-columns": dropColumns,
  sort,
  "udf-filter": udfFilter,
  write,
};

/**
 * Runs a node's own checks and schema propagation, whatever its kind.
 * Example: nodeOutput(dropNode, REVIEWS_SCHEMA, {}).schema?.length === 15
 */
export function nodeOutput(node: PipelineNode, input: Schema | null, ctx: AnalyzeContext): KindResult {
  // TypeScript cannot correlate node.kind with KINDS[node.kind]; the registry's type guarantees it.
  const spec = KINDS[node.kind] as NodeKindSpec<NodeKind>;
  return (spec.outputSchema as (n: PipelineNode, i: Schema | null, c: AnalyzeContext) => KindResult)(node, input, ctx);
}

/** One-line canvas summary of any node. Example: nodeSummary(sortNode) === "sort by total_votes desc" */
export function nodeSummary(node: PipelineNode): string {
  const spec = KINDS[node.kind] as NodeKindSpec<NodeKind>;
  return (spec.summary as (p: PipelineNode["params"]) => string)(node.params);
}
