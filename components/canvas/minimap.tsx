"use client";
// The minimap: every node as a rectangle in its kind's colour, the visible part of the canvas
// unshaded, drag to pan and wheel to zoom (xyflow's own XYMinimap handles both).
//
// Drawn on one <canvas>, from xyflow's store, outside React. xyflow's <MiniMap> renders an SVG
// rectangle per node, each a component subscribed to the store: on a 300-node graph that is 300
// more subscribers notified on every drag move, and it cost ~1 ms of every drag frame. Here one
// subscription schedules one redraw per animation frame, whatever changed.
import { Panel, useStoreApi, type InternalNode, type Node, type ReactFlowState } from "@xyflow/react";
import { nodeToRect, XYMinimap, type XYMinimapInstance } from "@xyflow/system";
import { useEffect, useRef } from "react";
import { HEIGHT, minimapGeometry, WIDTH } from "./minimap-geometry";

const MASK = "rgba(240, 242, 245, 0.7)";
const BACKGROUND = "#fff";

function rects<N extends Node>(lookup: Map<string, InternalNode<N>>) {
  const out: { x: number; y: number; width: number; height: number; node: InternalNode<N> }[] = [];
  for (const node of lookup.values()) if (!node.hidden) out.push({ ...nodeToRect(node), node });
  return out;
}

export function Minimap<N extends Node>({ nodeColor, ariaLabel = "Minimap" }: { nodeColor: (node: InternalNode<N>) => string; ariaLabel?: string }) {
  const store = useStoreApi<N>();
  const ref = useRef<HTMLCanvasElement>(null);
  const color = useRef(nodeColor);
  color.current = nodeColor;

  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = WIDTH * dpr;
    canvas.height = HEIGHT * dpr;
    let scale = 1;
    let frame = 0;

    const draw = () => {
      frame = 0;
      const s = store.getState();
      const nodes = rects(s.nodeLookup);
      const g = minimapGeometry(nodes, s.transform, { width: s.width, height: s.height });
      scale = g.scale;
      const k = dpr / g.scale;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = BACKGROUND;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.setTransform(k, 0, 0, k, -g.x * k, -g.y * k);
      const radius = 5;
      for (const n of nodes) {
        ctx.fillStyle = color.current(n.node);
        ctx.beginPath();
        ctx.roundRect(n.x, n.y, n.width, n.height, radius);
        ctx.fill();
      }
      // Shade everything but the part on screen.
      ctx.fillStyle = MASK;
      ctx.beginPath();
      ctx.rect(g.x, g.y, WIDTH * g.scale, HEIGHT * g.scale);
      ctx.rect(g.view.x, g.view.y, g.view.width, g.view.height);
      ctx.fill("evenodd");
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(draw);
    };

    // Pan by dragging, zoom with the wheel: xyflow's minimap behaviour, on this element.
    let minimap: XYMinimapInstance | null = null;
    const bind = (s: ReactFlowState<N>) => {
      if (!s.panZoom) return;
      minimap ??= XYMinimap({ domNode: canvas, panZoom: s.panZoom, getTransform: () => store.getState().transform, getViewScale: () => scale });
      minimap.update({ translateExtent: s.translateExtent, width: s.width, height: s.height, pannable: true, zoomable: true });
    };
    bind(store.getState());
    schedule();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.panZoom !== prev.panZoom || s.width !== prev.width || s.height !== prev.height || s.translateExtent !== prev.translateExtent) {
        if (s.panZoom !== prev.panZoom) {
          minimap?.destroy();
          minimap = null;
        }
        bind(s);
      }
      // Nodes move by a new nodes array (and a new transform when the canvas pans or zooms).
      if (s.nodes !== prev.nodes || s.transform !== prev.transform || s.width !== prev.width || s.height !== prev.height) schedule();
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      minimap?.destroy();
    };
  }, [store]);

  return (
    <Panel position="bottom-right" className="react-flow__minimap">
      <canvas ref={ref} role="img" aria-label={ariaLabel} style={{ width: WIDTH, height: HEIGHT, display: "block", cursor: "grab" }} />
    </Panel>
  );
}
