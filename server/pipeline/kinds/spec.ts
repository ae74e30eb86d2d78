// The contract every node kind implements: what the palette shows, default settings, the
// one-line canvas summary, and how the node transforms the schema flowing into it.
import type { Diagnostic } from "../diagnostics";
import type { TypedExpr } from "../expr/ast";
import type { NodeKind, NodeOfKind, ParamsOf } from "../schema";
import type { Schema, SourceLookup } from "../types";

/** Result of the server-side Python syntax check of one UDF node. */
/**
 * The server's check of one UDF's Python. `reads`: the batch columns the UDF's entry point
 * provably reads (only `batch["col"]` / `batch[["a", "b"]]` / `len(batch)` uses), or null
 * when it uses the batch any other way; the compiler only reorders UDFs it can reason about.
 */
export type PythonCheck =
  | { readonly ok: true; readonly reads?: readonly string[] | null }
  | { readonly ok: false; readonly line: number; readonly message: string };

/**
 * Facts gathered outside the pure core, keyed by node id: parquet footers of sources and
 * Python syntax checks of UDFs. Absent entries mean "not known", never "wrong".
 * Example: { sources: { read: reviewsSource("data/reviews") }, python: { keep: { ok: true } } }
 */
export interface AnalyzeContext {
  readonly sources?: Readonly<Record<string, SourceLookup>>;
  readonly python?: Readonly<Record<string, PythonCheck>>;
  /** Names of the server's S3 connections; absent = not known (no check). */
  readonly connections?: readonly string[];
}

export interface KindResult {
  /** Columns flowing out of the node; null when unknown (unknown input, unreadable source). */
  readonly schema: Schema | null;
  readonly diagnostics: Diagnostic[];
  /** add-column in expression mode: the checked expression, for the compiler. */
  readonly typed?: TypedExpr;
}

export interface NodeKindSpec<K extends NodeKind> {
  readonly kind: K;
  /** Palette label, e.g. "Add column". */
  readonly label: string;
  readonly category: "source" | "transform" | "sink";
  /** One sentence for the palette tooltip. */
  readonly description: string;
  /** Settings of a freshly dropped node. */
  defaults(): ParamsOf<K>;
  /** One line shown on the canvas node, e.g. "helpful_ratio = helpful_votes / total_votes". */
  summary(params: ParamsOf<K>): string;
  /**
   * Output schema and the node's own diagnostics, given its input schema (null: unknown or
   * none, e.g. for a source). Column checks are skipped when the input is unknown.
   */
  outputSchema(node: NodeOfKind<K>, input: Schema | null, ctx: AnalyzeContext): KindResult;
}

/** Own-property lookup in a context record, so ids like "constructor" never hit Object.prototype. */
export function lookup<T>(record: Readonly<Record<string, T>> | undefined, id: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, id) ? record[id] : undefined;
}
