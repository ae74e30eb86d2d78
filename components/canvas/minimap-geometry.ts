// Where the minimap puts things: pure, so it is tested without a browser.

/** The minimap's size in CSS pixels, as xyflow's. */
export const WIDTH = 200;
export const HEIGHT = 150;

export interface MinimapGeometry {
  /** Flow units per minimap pixel. */
  scale: number;
  /** The flow coordinates of the minimap's top-left corner. */
  x: number;
  y: number;
  /** The part of the flow on screen, in flow coordinates. */
  view: { x: number; y: number; width: number; height: number };
}

type Box = { x: number; y: number; x2: number; y2: number };

/** Pixels kept free around the content. */
const MARGIN = 5;

/**
 * What the minimap shows: all nodes and the part of the canvas on screen, fitted and centred in
 * `size` with at least 5 px free on every side (the framing of xyflow's <MiniMap>).
 */
export function minimapGeometry(
  nodes: Iterable<{ x: number; y: number; width: number; height: number }>,
  transform: readonly [number, number, number],
  flow: { width: number; height: number },
  size = { width: WIDTH, height: HEIGHT },
): MinimapGeometry {
  const [tx, ty, zoom] = transform;
  const view = { x: -tx / zoom, y: -ty / zoom, width: flow.width / zoom, height: flow.height / zoom };
  const b: Box = { x: view.x, y: view.y, x2: view.x + view.width, y2: view.y + view.height };
  for (const n of nodes) {
    b.x = Math.min(b.x, n.x);
    b.y = Math.min(b.y, n.y);
    b.x2 = Math.max(b.x2, n.x + n.width);
    b.y2 = Math.max(b.y2, n.y + n.height);
  }
  const w = b.x2 - b.x;
  const h = b.y2 - b.y;
  const scale = Math.max(w / (size.width - 2 * MARGIN), h / (size.height - 2 * MARGIN)) || 1;
  return { scale, x: b.x - (size.width * scale - w) / 2, y: b.y - (size.height * scale - h) / 2, view };
}
