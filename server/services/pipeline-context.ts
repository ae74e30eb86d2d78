// Node-side glue between the pure pipeline core and the outside world: looks up every source's
// parquet footers and checks every UDF's Python syntax, so analyze()/compile() stay pure.
import path from "node:path";
import type { PipelineDocument } from "../pipeline/schema";
import type { SourceLookup } from "../pipeline/types";
import { inspectDataset } from "../storage/parquet-dataset";
import { checkPythonSources } from "../python/check-udf";

export interface PipelineContext {
  readonly sources: Record<string, SourceLookup>;
  readonly python: Record<string, { ok: true } | { ok: false; line: number; message: string }>;
}

/** Where relative pipeline paths resolve: $ETL_BASE_DIR, else the project root. */
export function baseDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.ETL_BASE_DIR ?? process.env.ETL_ROOT ?? process.cwd());
}

export function resolvePath(p: string, base = baseDir()): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || path.isAbsolute(p) ? p : path.join(/* turbopackIgnore: true */ base, p);
}

/** Gathers source facts and Python checks for a document, concurrently. */
export async function gatherContext(doc: PipelineDocument, base = baseDir()): Promise<PipelineContext> {
  const reads = doc.nodes.filter((n) => n.kind === "read-parquet" && n.params.path.trim() !== "");
  const udfs: Record<string, string> = {};
  for (const n of doc.nodes) {
    if (n.kind === "udf-filter" && n.params.source.trim()) udfs[n.id] = n.params.source;
    if (n.kind === "add-column" && n.params.mode === "python" && n.params.source.trim()) udfs[n.id] = n.params.source;
  }
  const [lookups, python] = await Promise.all([
    Promise.all(reads.map(async (n) => [n.id, await inspectDataset(resolvePath((n.params as { path: string }).path, base))] as const)),
    Object.keys(udfs).length ? checkPythonSources(udfs) : Promise.resolve({}),
  ]);
  const sources: Record<string, SourceLookup> = {};
  for (const [id, lookup] of lookups) sources[id] = lookup;
  return { sources, python };
}
