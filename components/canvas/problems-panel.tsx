"use client";
// Every diagnostic of the pipeline in one list, in pipeline order; clicking one selects its node.
import { useEditor } from "./editor-context";

export function ProblemsPanel() {
  const { analysis, focusNode } = useEditor();
  const diags = analysis.analysis.diagnostics;
  if (!diags.length) return <p className="panel-empty good">No problems. The pipeline is ready to compile.</p>;
  return (
    <ul className="problems" aria-label="Problems">
      {diags.map((d, i) => (
        <li key={i}>
          <button
            type="button"
            className={`problem ${d.severity}`}
            disabled={!d.nodeId}
            onClick={() => d.nodeId && focusNode(d.nodeId)}
          >
            <span className={`sev ${d.severity}`} aria-label={d.severity}>{d.severity === "error" ? "✕" : "!"}</span>
            <span className="problem-node">{d.nodeId ?? "pipeline"}</span>
            <span className="problem-msg">{d.message}{d.hint ? <span className="hint"> — {d.hint}</span> : null}</span>
            <code className="problem-code">{d.code}</code>
          </button>
        </li>
      ))}
    </ul>
  );
}
