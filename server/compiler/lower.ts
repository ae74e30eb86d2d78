// Lowering: a validated pipeline document plus its analysis -> the frozen IR, in topological
// order, keeping only nodes that lead to a sink (others would never run: Ray is lazy).
import type { NodeKind, PipelineDocument, PipelineNode, NodeOfKind } from "../pipeline/schema";
import { NODE_ID_PATTERN } from "../pipeline/schema";
import type { Schema } from "../pipeline/types";
import type { PythonCheck } from "../pipeline/kinds/spec";
import type { Expr, TypedExpr } from "../pipeline/expr/ast";
import { parseExpr } from "../pipeline/expr/parser";
import { freezeIr, checkIr, type Ir, type Op } from "./ir";

/** The parts of `analyze()`'s result lowering needs (structural, so tests can build one). */
export interface AnalysisFacts {
  readonly order: readonly string[] | null;
  readonly inputOf: ReadonlyMap<string, string | null>;
  readonly outputsOf: ReadonlyMap<string, readonly string[]>;
  readonly schemas: ReadonlyMap<string, Schema>;
  readonly exprs: ReadonlyMap<string, TypedExpr>;
}

export interface LowerContext {
  /** Pipeline version from the store, recorded in the script header. */
  readonly version?: number | null;
  /** The server's Python checks per UDF node (for the columns each filter reads). */
  readonly python?: Readonly<Record<string, PythonCheck>>;
}

/**
 * Lower an error-free document to IR. Throws on broken invariants (analysis said "no errors"
 * but a fact is missing, or a node id is not a Python identifier).
 * Example: lower(doc, analyze(doc, ctx)).ops.map((o) => o.kind) // ["read", "with-column", ...]
 */
export function lower(doc: PipelineDocument, analysis: AnalysisFacts, ctx: LowerContext = {}): Ir {
  if (analysis.order === null) throw new Error("lower: analysis has no topological order (cycle)");
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
  const live = liveNodes(analysis.order, nodes, analysis.outputsOf);
  const ops: Op[] = [];
  let schemasKnown = true;
  for (const id of analysis.order) {
    if (!live.has(id)) continue;
    const node = nodes.get(id);
    if (!node) throw new Error(`lower: node ${id} in order but not in document`);
    if (!NODE_ID_PATTERN.test(id)) throw new Error(`lower: node id ${JSON.stringify(id)} is not a Python identifier`);
    if (!analysis.schemas.has(id)) schemasKnown = false;
    ops.push(lowerNode(node, analysis, ctx));
  }
  const ir: Ir = {
    pipelineId: doc.id,
    pipelineName: doc.name,
    schemaVersion: doc.schemaVersion,
    version: ctx.version ?? null,
    schemasKnown,
    ops: schemasKnown ? ops : ops.map((o) => ({ ...o, schema: [] })),
  };
  checkIr(ir);
  return freezeIr(ir);
}

/** Nodes from which some sink is reachable (sinks included). */
function liveNodes(
  order: readonly string[],
  nodes: ReadonlyMap<string, PipelineNode>,
  outputsOf: ReadonlyMap<string, readonly string[]>,
): ReadonlySet<string> {
  const live = new Set<string>();
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    if (nodes.get(id)?.kind === "write" || (outputsOf.get(id) ?? []).some((o) => live.has(o))) live.add(id);
  }
  return live;
}

type Lowerers = { readonly [K in NodeKind]: (node: NodeOfKind<K>, base: Base, a: AnalysisFacts, ctx: LowerContext) => Op };
type Base = { nodeId: string; label: string | null; input: string | null; schema: Schema; notes: readonly string[] };

function lowerNode(node: PipelineNode, a: AnalysisFacts, ctx: LowerContext): Op {
  // Unknown when the caller gave no facts for an upstream source (analysis: "not known").
  const schema = a.schemas.get(node.id) ?? [];
  const input = a.inputOf.get(node.id) ?? null;
  const base: Base = { nodeId: node.id, label: node.name ?? null, input, schema, notes: [] };
  switch (node.kind) {
    case "read-parquet": return LOWERERS["read-parquet"](node, base, a, ctx);
    case "add-column": return LOWERERS["add-column"](node, base, a, ctx);
    case "drop-columns": return LOWERERS["drop-columns"](node, base, a, ctx);
    case "sort": return LOWERERS.sort(node, base, a, ctx);
    case "udf-filter": return LOWERERS["udf-filter"](node, base, a, ctx);
    case "write": return LOWERERS.write(node, base, a, ctx);
    default: {
      const never: never = node;
      throw new Error(`lower: unknown node kind ${JSON.stringify(never)}`);
    }
  }
}

const LOWERERS: Lowerers = {
  "read-parquet": (node, base) => ({
    ...base,
    kind: "read",
    path: node.params.path,
    columns: node.params.columns ?? null,
    userColumns: node.params.columns ?? null,
    partitioning: "hive",
    ...(node.params.connection ? { connection: node.params.connection } : {}),
  }),
  "add-column": (node, base, a) => {
    const p = node.params;
    if (p.mode === "python") {
      return { ...base, kind: "python-column", column: p.column, source: p.source, outputType: p.outputType, compute: p.compute, batchSize: p.batchSize };
    }
    const expr = a.exprs.get(node.id) ?? untypedExpr(node.id, p.expression);
    return { ...base, kind: "with-column", column: p.column, expr, text: p.expression };
  },
  "drop-columns": (node, base) => ({ ...base, kind: "drop", columns: node.params.columns }),
  sort: (node, base) => ({ ...base, kind: "sort", keys: node.params.keys.map((k) => ({ column: k.column, descending: k.descending })) }),
  "udf-filter": (node, base, _a, ctx) => {
    const check = ctx.python?.[node.id];
    const reads = check?.ok ? (check.reads ?? null) : null;
    return { ...base, kind: "udf-filter", source: node.params.source, reads, compute: node.params.compute, batchSize: node.params.batchSize };
  },
  write: (node, base) => ({
    ...base, kind: "write", path: node.params.path, format: node.params.format, mode: node.params.mode,
    ...(node.params.connection ? { connection: node.params.connection } : {}),
  }),
};

/**
 * An expression that could not be type-checked because its input schema is unknown (no
 * source facts supplied). It still parses (analysis reports parse errors regardless); it
 * simply carries no types, so only type-independent Ray code is emitted for it.
 */
function untypedExpr(nodeId: string, text: string): TypedExpr {
  const { expr } = parseExpr(text);
  if (expr === null) throw new Error(`lower: add-column ${nodeId} has no parsable expression but no error was reported`);
  const columns = new Set<string>();
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case "column": columns.add(e.name); return;
      case "literal": return;
      case "unary": case "is-null": case "cast": walk(e.operand); return;
      case "binary": walk(e.left); walk(e.right); return;
      case "call": e.args.forEach(walk); return;
      case "case": e.branches.forEach((b) => { walk(b.when); walk(b.then); }); if (e.otherwise) walk(e.otherwise); return;
      default: { const never: never = e; throw new Error(`lower: unknown expression ${JSON.stringify(never)}`); }
    }
  };
  walk(expr);
  return { expr, type: "unknown", nullable: true, types: new Map(), columns: [...columns] };
}
