"use client";
// The script view: the Ray Data script the server compiles from the current document, with the
// selected node's lines highlighted; downloadable as .py.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ScriptView } from "@/components/script/script-view";
import { downloadText } from "@/lib/download";
import { useTRPC } from "@/lib/trpc";
import { useDebounced } from "@/lib/use-debounced";
import { useEditor, useEditorSelector } from "./editor-context";

type Compiled = { python: string | null; sourceMap: Record<string, [number, number]>; diagnostics: { message: string; nodeId?: string; severity: string }[] };

export function ScriptPanel({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const { store, focusNode } = useEditor();
  const current = useEditorSelector(store, (s) => s.doc);
  const selectedNodes = useEditorSelector(store, (s) => s.selectedNodes);
  const doc = useDebounced(current, 300);
  const compile = useMutation(trpc.pipelines.compile.mutationOptions());
  const [result, setResult] = useState<Compiled | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    compile.mutateAsync({ document: doc }).then(
      (r) => { if (live) { setResult(r); setFailed(null); } },
      (e: unknown) => { if (live) setFailed(e instanceof Error ? e.message : "Compilation failed"); },
    );
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc]);

  const highlight = result?.python ? selectedNodes.flatMap((id) => (result.sourceMap[id] ? [result.sourceMap[id]] : [])) : [];
  const stale = doc !== current || compile.isPending;
  return (
    <div className="script-panel">
      <div className="panel-toolbar">
        <span className="muted small">{stale ? "Compiling…" : result?.python ? `${result.python.split("\n").length} lines · select a node to highlight its lines` : ""}</span>
        <button
          type="button" className="btn small" disabled={!result?.python}
          onClick={() => result?.python && downloadText(`${pipelineId}.py`, result.python, "text/x-python")}
        >
          Download .py
        </button>
      </div>
      {failed ? <p className="panel-empty bad">{failed}</p> : null}
      {result && !result.python ? (
        <div className="panel-empty">
          <p>The script is generated once the pipeline has no errors ({result.diagnostics.filter((d) => d.severity === "error").length} now).</p>
          <ul className="plain-list">
            {result.diagnostics.filter((d) => d.severity === "error").slice(0, 5).map((d, i) => (
              <li key={i}>{d.nodeId ? <button type="button" className="link" onClick={() => focusNode(d.nodeId!)}>{d.nodeId}</button> : "pipeline"}: {d.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {result?.python ? <ScriptView text={result.python} highlight={highlight} /> : null}
    </div>
  );
}
