// Auto-layout: a pure function of the graph (dagre's layered layout, left to right), kept out
// of components so it can be tested alone and moved to a worker if graphs grow.
import dagre from "@dagrejs/dagre";
import type { PipelineDocument } from "@/server/pipeline/schema";
import type { XY } from "./doc-ops";

/** The size every canvas node is laid out with (the node component renders at this width). */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 84;

/**
 * Top-left positions for every node: sources on the left, each node right of its inputs,
 * unconnected nodes stacked too. Deterministic for a given document.
 * Example: autoLayout(doc).get("read_1") -> { x: 0, y: 0 }
 */
export function autoLayout(doc: PipelineDocument, opts: { rankSep?: number; nodeSep?: number } = {}): Map<string, XY> {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: "LR", ranksep: opts.rankSep ?? 80, nodesep: opts.nodeSep ?? 40, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(doc.nodes.map((n) => n.id));
  for (const n of doc.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of doc.edges) if (ids.has(e.source) && ids.has(e.target) && e.source !== e.target) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, XY>();
  let minX = Infinity;
  let minY = Infinity;
  for (const n of doc.nodes) {
    const { x, y } = g.node(n.id) as { x: number; y: number };
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
  }
  // dagre gives centres; the canvas wants top-left corners, anchored at the origin.
  for (const n of doc.nodes) {
    const { x, y } = g.node(n.id) as { x: number; y: number };
    out.set(n.id, { x: Math.round(x - minX), y: Math.round(y - minY) });
  }
  return out;
}
