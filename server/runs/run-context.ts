// The facts compile() needs for a run (source footers, UDF checks), gathered like the editor's
// gatherContext but with Python checks remembered per source text: a check spawns a Python
// process (~0.5-1 s on a busy machine) and its result depends on the text alone, so pressing
// Run again, retrying, or running what the editor just checked costs nothing.
import type { Connections } from "../connections/store";
import type { PipelineDocument } from "../pipeline/schema";
import { checkPythonSources, type PythonCheck } from "../python/check-udf";
import { gatherContext, type PipelineContext } from "../services/pipeline-context";

const MAX_CACHED = 500;
const checks = new Map<string, PythonCheck>();

const isUdf = (n: PipelineDocument["nodes"][number]) => n.kind === "udf-filter" || (n.kind === "add-column" && n.params.mode === "python");

/** Python checks of `sources` (node id -> text), from the cache where possible. */
export async function cachedPythonChecks(sources: Record<string, string>): Promise<Record<string, PythonCheck>> {
  const missing = Object.fromEntries(Object.entries(sources).filter(([, text]) => !checks.has(text)));
  if (Object.keys(missing).length) {
    const fresh = await checkPythonSources(missing);
    for (const [id, result] of Object.entries(fresh)) {
      checks.set(missing[id], result);
      if (checks.size > MAX_CACHED) checks.delete(checks.keys().next().value!);
    }
  }
  return Object.fromEntries(Object.entries(sources).map(([id, text]) => [id, checks.get(text)!]));
}

/** gatherContext(doc) with cached UDF checks; e.g. `compile(doc, await runContext(doc))`. */
export async function runContext(doc: PipelineDocument, connections: Connections | null = null): Promise<PipelineContext> {
  const udfs: Record<string, string> = {};
  for (const n of doc.nodes) if (isUdf(n) && (n.params as { source: string }).source.trim()) udfs[n.id] = (n.params as { source: string }).source;
  // footers through gatherContext (its own footer cache); UDF sources blanked so it skips them
  const withoutUdfs = { ...doc, nodes: doc.nodes.map((n) => (isUdf(n) ? ({ ...n, params: { ...n.params, source: "" } } as typeof n) : n)) };
  const [ctx, python] = await Promise.all([gatherContext(withoutUdfs, undefined, connections), cachedPythonChecks(udfs)]);
  return { sources: ctx.sources, python, ...(ctx.connections ? { connections: ctx.connections } : {}) };
}
