"use client";
// One pipeline node on the canvas: kind, label, one-line summary, problem badge, and the output
// schema on hover. Sources have no input handle, sinks no output handle.
// Semantic zoom: every text of the node carries .pnode-text, which the canvas hides with one
// class (.low-zoom) below LOW_ZOOM, so no node re-renders when the zoom crosses it (theme.css).
import { Handle, NodeToolbar, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo, useEffect, useRef, useState } from "react";
import { KINDS, type PipelineNode } from "@/server/pipeline";
import { useEditor } from "./editor-context";
import { KIND_GLYPH, nodeTone } from "./kind-style";

export interface PipelineNodeData extends Record<string, unknown> {
  readonly node: PipelineNode;
  readonly summary: string;
  readonly errors: number;
  readonly warnings: number;
  /** The first problem, shown as the badge's tooltip. */
  readonly firstProblem: string | null;
}

export type PipelineFlowNode = Node<PipelineNodeData, "pipeline">;

/** Below this zoom the node's name (13 px) renders under 6 px, illegible: nodes drop their text
 *  and show kind colour, problem mark and selection only. */
export const LOW_ZOOM = 0.45;

function PipelineNodeView({ id, data, selected, dragging }: NodeProps<PipelineFlowNode>) {
  const { node, summary, errors, warnings, firstProblem } = data;
  const spec = KINDS[node.kind];
  const tone = nodeTone(node);
  const [hover, setHover] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
  // The schema appears after a short rest on the node, so sweeping across nodes stays quiet.
  const enter = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setHover(true), 350);
  };
  const leave = () => {
    if (timer.current) clearTimeout(timer.current);
    setHover(false);
  };
  const problems = errors + warnings;
  return (
    <div
      className={`pnode tone-${tone}${selected ? " selected" : ""}${errors ? " has-error" : warnings ? " has-warning" : ""}`}
      data-testid={`node-${id}`}
      aria-label={`${spec.label} node ${node.name ?? id}${errors ? `, ${errors} error${errors === 1 ? "" : "s"}` : ""}`}
      onMouseEnter={enter}
      onMouseLeave={leave}
      onMouseDown={leave}
    >
      {spec.category !== "source" ? <Handle type="target" position={Position.Left} className="phandle" aria-label={`Input of ${id}`} /> : null}
      <div className="pnode-head">
        <span className="pnode-glyph" aria-hidden><span className="pnode-text">{KIND_GLYPH[node.kind]}</span></span>
        <span className="pnode-kind pnode-text">{spec.label}</span>
        <span className="pnode-id pnode-text">{id}</span>
        {problems ? (
          <span
            className={`pnode-badge ${errors ? "error" : "warning"}`}
            role="img"
            aria-label={`${problems} problem${problems === 1 ? "" : "s"}`}
            title={firstProblem ?? undefined}
          >
            <span className="pnode-text">{errors ? "!" : "?"} {problems}</span>
          </span>
        ) : null}
      </div>
      {/* The rows stay (empty) at low zoom so the node keeps its height: no resize, no re-render. */}
      {node.name ? <div className="pnode-name"><span className="pnode-text">{node.name}</span></div> : null}
      <div className="pnode-summary" title={summary}><span className="pnode-text">{summary}</span></div>
      {spec.category !== "sink" ? <Handle type="source" position={Position.Right} className="phandle" aria-label={`Output of ${id}`} /> : null}
      {/* Mounted only while shown: every mounted NodeToolbar re-reads all nodes on each store
          update, which on a 300-node canvas cost more than the drag itself. */}
      {hover && !dragging ? (
        <NodeToolbar isVisible position={Position.Bottom} offset={6} className="schema-toolbar">
          <SchemaTooltip id={id} />
        </NodeToolbar>
      ) : null}
    </div>
  );
}

function SchemaTooltip({ id }: { id: string }) {
  const { analysis } = useEditor();
  const schema = analysis.analysis.schemas.get(id);
  return (
    <div className="schema-tip" role="tooltip" aria-label={`Output schema of ${id}`}>
      {schema ? (
        <>
          <div className="schema-tip-title">Output schema · {schema.length} column{schema.length === 1 ? "" : "s"}</div>
          <table>
            <tbody>
              {schema.slice(0, 40).map((c) => (
                <tr key={c.name}>
                  <td className="col-name">{c.name}</td>
                  <td className="col-type">{c.type}{c.nullable ? "" : " · not null"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {schema.length > 40 ? <div className="muted">… {schema.length - 40} more</div> : null}
        </>
      ) : (
        <div className="muted">Output schema unknown until the node and its inputs are valid</div>
      )}
    </div>
  );
}

export const PipelineNodeComponent = memo(PipelineNodeView);
