// compile(doc) -> { python, sourceMap, diagnostics, ir }: analyze, lower to IR, run the passes,
// emit the Ray Data script. Pure and deterministic: no I/O, the same input gives the same bytes.
import { analyze } from "../pipeline";
import type { PipelineDocument } from "../pipeline/schema";
import type { PythonCheck, SourceLookup } from "../pipeline";
import { hasErrors, type Diagnostic } from "../pipeline/diagnostics";
import type { Ir } from "./ir";
import { lower } from "./lower";
import { runPasses } from "./passes";
import { emitRay, type SourceMap } from "./emit/ray";

export interface CompileContext {
  /** Parquet footer facts per read node (looked up by the caller; the compiler does no I/O). */
  readonly sources?: Readonly<Record<string, SourceLookup>>;
  /** Python syntax check results per UDF node (done outside the compiler, e.g. by the worker). */
  readonly python?: Readonly<Record<string, PythonCheck>>;
  /** Names of the server's S3 connections (unknown names are errors on the node); absent = unchecked. */
  readonly connections?: readonly string[];
  /** Facts recorded in the script header. */
  readonly header?: { readonly version?: number };
}

export interface CompileResult {
  /** The script, or null when the pipeline has errors. */
  readonly python: string | null;
  /** Node id -> [startLine, endLine] of its block (1-based, inclusive); empty when python is null. */
  readonly sourceMap: SourceMap;
  /** Everything analysis found (warnings too, even when python is produced). */
  readonly diagnostics: Diagnostic[];
  /** The optimised IR the script was emitted from; null when python is null. */
  readonly ir: Ir | null;
}

/**
 * Compile a pipeline document to a Ray Data script.
 * Example:
 *   const { python, sourceMap } = compile(doc, { sources: { read: reviewsSource("data/reviews") } });
 *   sourceMap.read // [27, 29]
 */
export function compile(doc: PipelineDocument, ctx: CompileContext = {}): CompileResult {
  const analysis = analyze(doc, { sources: ctx.sources, python: ctx.python, connections: ctx.connections });
  const diagnostics = [...analysis.diagnostics];
  if (hasErrors(diagnostics) || analysis.order === null) return { python: null, sourceMap: {}, diagnostics, ir: null };
  const ir = runPasses(lower(doc, analysis, { version: ctx.header?.version ?? null, python: ctx.python }));
  const { python, sourceMap } = emitRay(ir);
  return { python, sourceMap, diagnostics, ir };
}
