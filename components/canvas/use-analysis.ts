"use client";
// Runs the pipeline core's analyze() in the browser on every edit (so type errors show as you
// type), fed by two server facts: parquet footers of read paths (sources.inspect, cached per
// path and S3 connection) and Python syntax checks of UDF sources (python.check, debounced,
// cached per text). The S3 connection names the server knows are checked on the nodes too.
import { useMutation, useQueries, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { analyze, type Analysis, type AnalyzeContext, type Diagnostic, type PipelineDocument, type PythonCheck, type SourceLookup } from "@/server/pipeline";
import { useTRPC } from "@/lib/trpc";
import { useDebounced } from "@/lib/use-debounced";

export interface EditorAnalysis {
  readonly analysis: Analysis;
  /** Diagnostics per node id (document-level ones under ""). */
  readonly byNode: ReadonlyMap<string, readonly Diagnostic[]>;
  /** Footer lookups per read node id, once known. */
  readonly sources: Readonly<Record<string, SourceLookup>>;
  /** Read sources (sourceKey(path, connection)) being looked up right now. */
  readonly loadingPaths: ReadonlySet<string>;
  /** UDF node ids whose Python check is still on its way. */
  readonly pythonPending: ReadonlySet<string>;
  /** The facts analyze() ran with, for checking one node on its own (the inspector). */
  readonly context: AnalyzeContext;
}

/** Above this many nodes the whole-pipeline analysis waits for a pause in typing. */
const LARGE = 80;

/** A read source's lookup key: the path, plus the S3 connection when one is set. */
export function sourceKey(path: string, connection?: string): string {
  return connection ? `${path}\u0000${connection}` : path;
}

function readPaths(doc: PipelineDocument): string[] {
  const out = new Set<string>();
  for (const n of doc.nodes) if (n.kind === "read-parquet" && n.params.path.trim() !== "") out.add(sourceKey(n.params.path, n.params.connection));
  return [...out].sort();
}

function udfSources(doc: PipelineDocument): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of doc.nodes) {
    if (n.kind === "udf-filter" && n.params.source.trim()) out[n.id] = n.params.source;
    if (n.kind === "add-column" && n.params.mode === "python" && n.params.source.trim()) out[n.id] = n.params.source;
  }
  return out;
}

export function useEditorAnalysis(doc: PipelineDocument): EditorAnalysis {
  const trpc = useTRPC();

  // --- sources: footers per path, looked up once typing pauses --------------------------------
  const pathsKey = readPaths(doc).join("\n");
  const debouncedPaths = useDebounced(pathsKey, 250);
  const paths = useMemo(() => (debouncedPaths ? debouncedPaths.split("\n") : []), [debouncedPaths]);
  const lookups = useQueries({
    queries: paths.map((key) => {
      const [path, connection] = key.split("\u0000");
      return { ...trpc.sources.inspect.queryOptions(connection ? { path, connection } : { path }), staleTime: 60_000 };
    }),
  });
  const lookupByPath = new Map<string, SourceLookup>();
  const loadingPaths = new Set<string>();
  paths.forEach((p, i) => {
    const q = lookups[i];
    if (q.data) lookupByPath.set(p, q.data as SourceLookup);
    else if (q.isError) lookupByPath.set(p, { ok: false, code: "E_SOURCE_UNREADABLE", message: q.error.message });
    else loadingPaths.add(p);
  });
  if (pathsKey !== debouncedPaths) for (const p of pathsKey.split("\n")) if (p && !lookupByPath.has(p)) loadingPaths.add(p);
  const lookupKey = [...lookupByPath.entries()].map(([p, l]) => `${p}:${l.ok ? "ok" : l.code}:${lookups.find((_, i) => paths[i] === p)?.dataUpdatedAt ?? 0}`).join("|");

  // --- python: syntax checks per source text -------------------------------------------------
  const [checks, setChecks] = useState<ReadonlyMap<string, PythonCheck>>(new Map());
  const inFlight = useRef(new Set<string>());
  const check = useMutation(trpc.python.check.mutationOptions());
  const udfs = udfSources(doc);
  const udfKey = JSON.stringify(udfs);
  const debouncedUdfKey = useDebounced(udfKey, 400);
  useEffect(() => {
    const wanted = JSON.parse(debouncedUdfKey) as Record<string, string>;
    const missing = [...new Set(Object.values(wanted))].filter((t) => !checks.has(t) && !inFlight.current.has(t));
    if (!missing.length) return;
    for (const t of missing) inFlight.current.add(t);
    const batch = Object.fromEntries(missing.map((t, i) => [`s${i}`, t]));
    check.mutateAsync({ sources: batch }).then(
      (res) => setChecks((prev) => {
        const next = new Map(prev);
        missing.forEach((t, i) => {
          const r = res[`s${i}`];
          if (r) next.set(t, r.ok ? { ok: true } : { ok: false, line: r.line, message: r.message });
        });
        return next;
      }),
      () => undefined, // a failed check leaves the source unknown, never wrongly flagged
    ).finally(() => { for (const t of missing) inFlight.current.delete(t); });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debouncedUdfKey, checks]);
  const python: Record<string, PythonCheck> = {};
  const pythonPending = new Set<string>();
  for (const [id, text] of Object.entries(udfs)) {
    const c = checks.get(text);
    if (c) python[id] = c;
    else pythonPending.add(id);
  }
  const pythonKey = Object.entries(python).map(([id, c]) => `${id}:${c.ok ? "ok" : c.line + c.message}`).join("|");

  // --- analyze -------------------------------------------------------------------------------
  const sources: Record<string, SourceLookup> = {};
  for (const n of doc.nodes) {
    if (n.kind === "read-parquet") {
      const l = lookupByPath.get(sourceKey(n.params.path, n.params.connection));
      if (l) sources[n.id] = l;
    }
  }
  const sourcesKey = Object.keys(sources).join(",") + lookupKey;
  // Large pipelines: analyse after a short pause, so typing stays instant; the inspector checks
  // the node being edited on its own meanwhile (its input schema does not depend on it).
  const debouncedDoc = useDebounced(doc, 150);
  const analysisDoc = doc.nodes.length > LARGE ? debouncedDoc : doc;
  const conns = useQuery({ ...trpc.connections.names.queryOptions(), staleTime: 30_000 });
  const connectionNames = conns.data?.map((c) => c.name);
  const connectionsKey = connectionNames?.join(",") ?? "?";
  const context = useMemo<AnalyzeContext>(
    () => ({ sources, python, ...(connectionNames ? { connections: connectionNames } : {}) }),
    [sourcesKey, pythonKey, connectionsKey], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const analysis = useMemo(() => analyze(analysisDoc, context), [analysisDoc, context]);
  const byNode = useMemo(() => {
    const m = new Map<string, Diagnostic[]>();
    for (const d of analysis.diagnostics) {
      const k = d.nodeId ?? "";
      const list = m.get(k);
      if (list) list.push(d);
      else m.set(k, [d]);
    }
    return m;
  }, [analysis]);
  const loadingKey = [...loadingPaths].join("\n");
  const pendingKey = [...pythonPending].join(",");
  return useMemo(
    () => ({ analysis, byNode, sources: context.sources ?? {}, loadingPaths, pythonPending, context }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [analysis, byNode, context, loadingKey, pendingKey],
  );
}
