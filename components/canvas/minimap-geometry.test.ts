// The minimap frames every node and the part of the canvas on screen, with a margin, centred.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HEIGHT, minimapGeometry, WIDTH } from "./minimap-geometry";

/** Where a flow point lands on the minimap, in its pixels. */
const toPx = (g: ReturnType<typeof minimapGeometry>, x: number, y: number) => ({ x: (x - g.x) / g.scale, y: (y - g.y) / g.scale });

describe("minimapGeometry", () => {
  it("fits the wider extent exactly between the margins and centres the other", () => {
    // Nodes span 0..400 x 0..100; the screen (400x100 px at zoom 2, panned by 10, 20) shows
    // -5..195 x -10..40 of the flow: together -5..400 x -10..100.
    const g = minimapGeometry([{ x: 0, y: 0, width: 150, height: 40 }, { x: 250, y: 60, width: 150, height: 40 }], [10, 20, 2], { width: 400, height: 100 });
    expect(g.view).toEqual({ x: -5, y: -10, width: 200, height: 50 });
    expect(g.scale).toBeCloseTo(405 / 190, 10);
    expect(toPx(g, -5, 0).x).toBeCloseTo(5, 10);
    expect(toPx(g, 400, 0).x).toBeCloseTo(195, 10);
    // 110 flow units tall, centred in 150 px
    expect(toPx(g, 0, -10).y).toBeCloseTo((150 - 110 / g.scale) / 2, 10);
    expect(toPx(g, 0, 100).y).toBeCloseTo((150 + 110 / g.scale) / 2, 10);
  });

  it("keeps every node and the screen's area inside the minimap, 5 px from its edges", () => {
    const rect = fc.record({
      x: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
      y: fc.double({ min: -1e5, max: 1e5, noNaN: true }),
      width: fc.double({ min: 1, max: 500, noNaN: true }),
      height: fc.double({ min: 1, max: 500, noNaN: true }),
    });
    fc.assert(fc.property(
      fc.array(rect, { maxLength: 40 }),
      fc.tuple(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true })),
      (nodes, [tx, ty, zoom]) => {
        const g = minimapGeometry(nodes, [tx, ty, zoom], { width: 1200, height: 800 });
        const eps = 1e-6;
        for (const r of [...nodes, g.view]) {
          const a = toPx(g, r.x, r.y);
          const b = toPx(g, r.x + r.width, r.y + r.height);
          expect(a.x).toBeGreaterThanOrEqual(5 - eps);
          expect(a.y).toBeGreaterThanOrEqual(5 - eps);
          expect(b.x).toBeLessThanOrEqual(WIDTH - 5 + eps);
          expect(b.y).toBeLessThanOrEqual(HEIGHT - 5 + eps);
        }
      },
    ));
  });
});
