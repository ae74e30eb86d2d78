"use client";
// The open run drawn over the canvas (mounted inside <ReactFlow>, in flow coordinates, never
// catching the pointer): a state-coloured frame per node with rows out, the share of the source
// rows and elapsed time; one dashed outline around nodes Ray runs fused as one stage; the rows
// that flowed along each edge, and a moving dash on edges whose ends are running.
import { useNodes, ViewportPortal } from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";
import type { PipelineDocument } from "@/server/pipeline";
import { useEditor, useEditorSelector } from "@/components/canvas/editor-context";
import { NODE_HEIGHT, NODE_WIDTH } from "@/components/canvas/layout";
import { edgeProgress, formatDuration, formatRows, fusedGroups, nodeProgress, shareOf, type NodeRunState } from "./run-progress";
import { useRunView, type RunView } from "./run-store";
import "./runs.css";

const STATE_LABEL: Record<NodeRunState, string> = { queued: "queued", running: "running", succeeded: "succeeded", failed: "failed", cancelled: "cancelled" };
const ICON: Record<NodeRunState, string> = { queued: "○", running: "◐", succeeded: "✓", failed: "✕", cancelled: "■" };

interface Box { x: number; y: number; w: number; h: number }

/** The read-parquet node feeding `id`, when there is exactly one. */
function sourceOf(doc: PipelineDocument, id: string): string | null {
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const reads = new Set<string>();
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const node = doc.nodes.find((x) => x.id === n);
    if (node?.kind === "read-parquet") reads.add(n);
    stack.push(...(inputs.get(n) ?? []));
  }
  return reads.size === 1 ? [...reads][0] : null;
}

/** Mount inside <ReactFlow>; `pipelineId` defaults to the edited document's id. */
export function RunOverlay({ pipelineId }: { pipelineId?: string }) {
  const { store } = useEditor();
  const docId = useEditorSelector(store, (s) => s.doc.id);
  const view = useRunView(pipelineId ?? docId);
  // Without a run nothing here follows the nodes, so dragging one re-renders nothing here.
  return view.snapshot ? <RunFrames view={view} /> : null;
}

function RunFrames({ view }: { view: RunView }) {
  const { store, analysis } = useEditor();
  const doc = useEditorSelector(store, (s) => s.doc);
  const flowNodes = useNodes();
  const snap = view.snapshot;
  const running = snap !== null && (snap.state === "running" || snap.state === "submitted");
  const [, setTick] = useState(0); // re-render twice a second while running: elapsed times tick
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setTick((x) => x + 1), 500);
    return () => clearInterval(t);
  }, [running]);

  const progress = useMemo(() => (snap ? nodeProgress(snap) : null), [snap]);
  const boxes = useMemo(() => {
    const m = new Map<string, Box>();
    for (const n of flowNodes) m.set(n.id, { x: n.position.x, y: n.position.y, w: n.measured?.width ?? NODE_WIDTH, h: n.measured?.height ?? NODE_HEIGHT });
    return m;
  }, [flowNodes]);

  if (!snap || !progress) return null;
  // server time now, so elapsed times do not depend on the browser's clock
  const now = Date.now() + (Date.parse(snap.now) - view.receivedAt);
  const sourceRows = (id: string): number | null => {
    const src = sourceOf(doc, id);
    const lookup = src ? analysis.sources[src] : undefined;
    return lookup?.ok ? lookup.info.numRows : null;
  };

  const edgeStyles: string[] = [];
  const edgeLabels: React.ReactNode[] = [];
  for (const e of doc.edges) {
    const p = edgeProgress(snap, progress, e.source, e.target);
    const a = boxes.get(e.source);
    const b = boxes.get(e.target);
    if (!p || !a || !b) continue;
    const sel = `.react-flow__edge[aria-label="Edge from ${e.source} to ${e.target}"] .react-flow__edge-path`;
    if (p.active) edgeStyles.push(`${sel} { stroke: #2563eb; stroke-width: 2.2; stroke-dasharray: 6 5; animation: run-edge-flow .6s linear infinite; }`);
    else if (p.rows !== null || p.fused) edgeStyles.push(`${sel} { stroke: #067647; stroke-width: 2; }`);
    if (p.rows === null) continue;
    const x = (a.x + a.w + b.x) / 2;
    const y = (a.y + a.h / 2 + b.y + b.h / 2) / 2;
    edgeLabels.push(
      <div key={`${e.source}>${e.target}`} className="run-edge-label" style={{ transform: `translate(${x}px, ${y}px) translate(-50%, -50%)` }}
        data-testid={`run-edge-${e.source}-${e.target}`} aria-label={`Rows from ${e.source} to ${e.target}`}>
        {formatRows(p.rows)} rows
      </div>,
    );
  }

  const groups = fusedGroups(snap).map((g) => {
    const bs = g.nodes.map((n) => boxes.get(n)).filter((b): b is Box => Boolean(b));
    if (bs.length < 2) return null;
    const x0 = Math.min(...bs.map((b) => b.x)) - 14;
    const y0 = Math.min(...bs.map((b) => b.y)) - 30;
    const x1 = Math.max(...bs.map((b) => b.x + b.w)) + 14;
    const y1 = Math.max(...bs.map((b) => b.y + b.h)) + 30;
    return (
      <div key={g.key} className={`run-fused state-${g.state}`} style={{ transform: `translate(${x0}px, ${y0}px)`, width: x1 - x0, height: y1 - y0 }}
        data-testid={`run-fused-${g.nodes.join("+")}`}>
        <span className="run-fused-label" title={g.stage}>one Ray stage: {g.nodes.join(" + ")}</span>
      </div>
    );
  });

  return (
    <ViewportPortal>
      <style>{edgeStyles.join("\n")}</style>
      <div className="run-overlay" aria-hidden={false}>
        {groups}
        {[...progress.entries()].map(([id, p]) => {
          const b = boxes.get(id);
          if (!b) return null;
          const share = shareOf(p.rowsOut, sourceRows(id));
          const elapsed = p.startedAt !== null ? (p.endedAt ?? (p.state === "running" ? now : p.startedAt)) - p.startedAt : null;
          const parts = [
            `${ICON[p.state]} ${STATE_LABEL[p.state]}`,
            p.rowsOut !== null ? `${formatRows(p.rowsOut)} rows` : p.fusedWith.length ? "fused" : null,
            share !== null ? `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%` : null,
            elapsed !== null && elapsed >= 0 ? formatDuration(elapsed) : null,
          ].filter(Boolean);
          return (
            <div key={id} className={`run-node state-${p.state}`} style={{ transform: `translate(${b.x - 5}px, ${b.y - 5}px)`, width: b.w + 10, height: b.h + 10 }}
              data-testid={`run-node-${id}`} data-state={p.state} data-seen={(view.seen.get(id) ?? []).join(" ")}
              data-rows={p.rowsOut ?? ""} aria-label={`Run state of ${id}: ${parts.join(", ")}`}>
              <span className="run-node-badge">{parts.join(" · ")}</span>
            </div>
          );
        })}
        {edgeLabels}
      </div>
    </ViewportPortal>
  );
}
