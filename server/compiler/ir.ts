// The compiler's intermediate representation: one small readonly op per pipeline node, in
// topological order, each naming its input op. Passes return new IRs; nothing mutates one.
import type { Compute } from "../pipeline/schema";
import type { DeclarableType, Schema } from "../pipeline/types";
import type { TypedExpr } from "../pipeline/expr/ast";

interface OpBase {
  /** The pipeline node this op came from (also its Python variable `ds_<nodeId>`). */
  readonly nodeId: string;
  /** The node's free-text label, if any (emitted only inside literals and comments). */
  readonly label: string | null;
  /** nodeId of the op feeding this one; null for sources. */
  readonly input: string | null;
  /** Columns flowing out of this op (after passes: only those actually present). */
  readonly schema: Schema;
  /** Why a pass changed this op, shown as a comment in the script and in explain(). */
  readonly notes: readonly string[];
}

export interface ReadOp extends OpBase {
  readonly kind: "read";
  readonly path: string;
  /** Columns to keep right after the read; null = all columns of the source. */
  readonly columns: readonly string[] | null;
  /** The subset the user chose on the node (null = all); pushdown may narrow `columns` further. */
  readonly userColumns: readonly string[] | null;
  readonly partitioning: "hive";
  /** An S3 connection name (s3:// paths); absent: local files or the default chain. */
  readonly connection?: string;
}

export interface WithColumnOp extends OpBase {
  readonly kind: "with-column";
  readonly column: string;
  readonly expr: TypedExpr;
  /** The expression as the user wrote it, for the comment above the code. */
  readonly text: string;
}

export interface PythonColumnOp extends OpBase {
  readonly kind: "python-column";
  readonly column: string;
  readonly source: string;
  readonly outputType: DeclarableType;
  readonly compute: Compute;
  readonly batchSize: number | null;
}

export interface DropOp extends OpBase {
  readonly kind: "drop";
  /** Columns actually dropped; empty = a no-op kept only as a comment (see notes). */
  readonly columns: readonly string[];
}

export interface SortKey {
  readonly column: string;
  readonly descending: boolean;
}

export interface SortOp extends OpBase {
  readonly kind: "sort";
  readonly keys: readonly SortKey[];
}

export interface UdfFilterOp extends OpBase {
  readonly kind: "udf-filter";
  readonly source: string;
  /** Batch columns keep() provably reads (server-side Python analysis); null = unknown. */
  readonly reads: readonly string[] | null;
  readonly compute: Compute;
  readonly batchSize: number | null;
}

export interface WriteOp extends OpBase {
  readonly kind: "write";
  readonly path: string;
  readonly format: "parquet" | "csv" | "json";
  readonly mode: "error" | "overwrite" | "append";
  /** An S3 connection name (s3:// paths); absent: local files or the default chain. */
  readonly connection?: string;
}

export type Op = ReadOp | WithColumnOp | PythonColumnOp | DropOp | SortOp | UdfFilterOp | WriteOp;
export type OpKind = Op["kind"];

/** The whole program: facts about the pipeline plus its ops in topological order. */
export interface Ir {
  readonly pipelineId: string;
  readonly pipelineName: string;
  readonly schemaVersion: number;
  /** Pipeline version (from the store), recorded in the script header when known. */
  readonly version: number | null;
  /**
   * False when some source's facts were not supplied (analysis leaves its schema unknown):
   * op schemas are then empty and schema-based passes (projection pushdown) stand aside.
   */
  readonly schemasKnown: boolean;
  readonly ops: readonly Op[];
}

/**
 * Exhaustive dispatch over op kinds: adding a kind to `Op` without a handler here fails the
 * type check everywhere a visitor is written.
 * Example: visitOp(op, { read: (o) => o.path, ... })
 */
export type OpVisitor<R> = { readonly [K in OpKind]: (op: Extract<Op, { kind: K }>) => R };

export function visitOp<R>(op: Op, v: OpVisitor<R>): R {
  switch (op.kind) {
    case "read": return v.read(op);
    case "with-column": return v["with-column"](op);
    case "python-column": return v["python-column"](op);
    case "drop": return v.drop(op);
    case "sort": return v.sort(op);
    case "udf-filter": return v["udf-filter"](op);
    case "write": return v.write(op);
    default: return assertNever(op);
  }
}

/** For `default:` branches of exhaustive switches. Example: `default: return assertNever(op);` */
export function assertNever(x: never): never {
  throw new Error(`unhandled IR op: ${JSON.stringify(x)}`);
}

/**
 * Freeze an IR, its ops and everything the compiler built for them (notes, column lists,
 * sort keys), so an accidental mutation throws. Schemas and typed expressions are shared,
 * read-only data owned by analysis and are left as they are.
 * Example: Object.isFrozen(freezeIr(ir).ops[0]) === true
 */
export function freezeIr(ir: Ir): Ir {
  if (Object.isFrozen(ir)) return ir;
  for (const op of ir.ops) {
    if (Object.isFrozen(op)) continue;
    Object.freeze(op.notes);
    switch (op.kind) {
      case "read":
        if (op.columns) Object.freeze(op.columns);
        if (op.userColumns) Object.freeze(op.userColumns);
        break;
      case "drop":
        Object.freeze(op.columns);
        break;
      case "sort":
        op.keys.forEach((k) => Object.freeze(k));
        Object.freeze(op.keys);
        break;
      case "python-column":
      case "udf-filter":
        Object.freeze(op.compute);
        break;
      case "with-column":
      case "write":
        break;
      default:
        assertNever(op);
    }
    Object.freeze(op);
  }
  Object.freeze(ir.ops);
  return Object.freeze(ir);
}

/** Ops keyed by node id. Example: opsById(ir).get("sort")?.kind === "sort" */
export function opsById(ir: Ir): ReadonlyMap<string, Op> {
  return new Map(ir.ops.map((o) => [o.nodeId, o]));
}

/** For every op, the node ids of the ops reading it, in op order. Example: consumersOf(ir).get("read") // ["ratio"] */
export function consumersOf(ir: Ir): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>(ir.ops.map((o) => [o.nodeId, []]));
  for (const o of ir.ops) if (o.input !== null) out.get(o.input)?.push(o.nodeId);
  return out;
}

/**
 * Per sink (write op), the linear chain of node ids from its source to the sink, in the
 * order the script computes them. The runtime maps Ray operators back to nodes with it.
 * Example: { out: ["read", "ratio", "drop", "keep", "sort", "flag", "out"] }
 */
export function sinkChains(ir: Ir): Record<string, readonly string[]> {
  const byId = opsById(ir);
  const chains: Record<string, readonly string[]> = {};
  for (const sink of ir.ops) {
    if (sink.kind !== "write") continue;
    const chain: string[] = [];
    for (let cur: Op | undefined = sink; cur; cur = cur.input === null ? undefined : byId.get(cur.input)) chain.push(cur.nodeId);
    chains[sink.nodeId] = chain.reverse();
  }
  return chains;
}

/**
 * Check the structural invariants passes must keep: unique ids, inputs defined before use.
 * Throws (a broken invariant is a compiler bug). Example: checkIr(runPasses(ir))
 */
export function checkIr(ir: Ir): void {
  const seen = new Set<string>();
  for (const o of ir.ops) {
    if (seen.has(o.nodeId)) throw new Error(`IR: duplicate op ${o.nodeId}`);
    if ((o.kind === "read") !== (o.input === null)) throw new Error(`IR: ${o.nodeId} input/source mismatch`);
    if (o.input !== null && !seen.has(o.input)) throw new Error(`IR: ${o.nodeId} reads ${o.input} before it is defined`);
    seen.add(o.nodeId);
  }
}
