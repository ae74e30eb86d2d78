// Auto-layout is a pure, deterministic function: inputs left of their outputs, no overlaps.
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, type PipelineDocument } from "@/server/pipeline/schema";
import { makeNode } from "./doc-ops";
import { autoLayout, NODE_HEIGHT, NODE_WIDTH } from "./layout";

function doc(ids: string[], edges: [string, string][]): PipelineDocument {
  return {
    schemaVersion: SCHEMA_VERSION, id: "p", name: "P",
    nodes: ids.map((id, i) => makeNode(i === 0 ? "read-parquet" : "sort", id, { x: 500 - i * 50, y: i * 7 })),
    edges: edges.map(([source, target]) => ({ source, target })),
  };
}

describe("autoLayout", () => {
  it("places every node right of its inputs, anchored at the origin", () => {
    const d = doc(["a", "b", "c", "d"], [["a", "b"], ["b", "c"], ["b", "d"]]);
    const pos = autoLayout(d);
    expect(pos.size).toBe(4);
    for (const e of d.edges) expect(pos.get(e.target)!.x).toBeGreaterThanOrEqual(pos.get(e.source)!.x + NODE_WIDTH);
    expect(Math.min(...[...pos.values()].map((p) => p.x))).toBe(0);
    expect(Math.min(...[...pos.values()].map((p) => p.y))).toBe(0);
  });

  it("never overlaps nodes, connected or not", () => {
    const ids = Array.from({ length: 30 }, (_, i) => `n${i}`);
    const edges: [string, string][] = ids.slice(1, 20).map((id, i) => [ids[i], id]);
    const pos = [...autoLayout(doc(ids, edges)).values()];
    for (let i = 0; i < pos.length; i++) {
      for (let j = i + 1; j < pos.length; j++) {
        const apart = Math.abs(pos[i].x - pos[j].x) >= NODE_WIDTH || Math.abs(pos[i].y - pos[j].y) >= NODE_HEIGHT;
        expect(apart).toBe(true);
      }
    }
  });

  it("is deterministic and ignores edges to missing nodes", () => {
    const d = doc(["a", "b"], [["a", "b"], ["a", "ghost"]]);
    expect([...autoLayout(d)]).toEqual([...autoLayout(d)]);
    expect(autoLayout(d).has("ghost")).toBe(false);
  });

  it("lays out an empty document as nothing", () => {
    expect(autoLayout(doc([], [])).size).toBe(0);
  });
});
