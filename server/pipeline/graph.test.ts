// Tests for structural graph analysis: order, cycles, edges, input/output counts, unused nodes.
import { describe, expect, it } from "vitest";
import { analyzeGraph } from "./graph";
import { PipelineDocumentSchema, type PipelineDocument } from "./schema";

type Kind = "read-parquet" | "add-column" | "drop-columns" | "sort" | "udf-filter" | "write";
const KIND: Record<string, Kind> = { r: "read-parquet", a: "add-column", d: "drop-columns", s: "sort", u: "udf-filter", w: "write" };

/** doc("r1 a1 w1", "r1>a1 a1>w1"): node kind from the id's first letter. */
function doc(nodes: string, edges = ""): PipelineDocument {
  return PipelineDocumentSchema.parse({
    schemaVersion: 1,
    nodes: nodes.split(" ").filter(Boolean).map((id) => ({ id, kind: KIND[id[0]], params: {} })),
    edges: edges.split(" ").filter(Boolean).map((e) => {
      const [source, target] = e.split(">");
      return { source, target };
    }),
  });
}
const codes = (d: PipelineDocument) => analyzeGraph(d).diagnostics.map((x) => `${x.code}${x.nodeId ? `@${x.nodeId}` : ""}`);

describe("analyzeGraph", () => {
  it("accepts a simple chain and orders it", () => {
    const g = analyzeGraph(doc("w1 a1 r1", "r1>a1 a1>w1"));
    expect(g.diagnostics).toEqual([]);
    expect(g.order).toEqual(["r1", "a1", "w1"]);
    expect(g.inputsOf.get("a1")).toEqual(["r1"]);
    expect(g.outputsOf.get("r1")).toEqual(["a1"]);
  });

  it("breaks ties in the topological order by document order", () => {
    const g = analyzeGraph(doc("r2 r1 a2 a1 w1 w2", "r1>a1 r2>a2 a1>w1 a2>w2"));
    expect(g.order).toEqual(["r2", "r1", "a2", "a1", "w1", "w2"]);
  });

  it("lets one node feed several", () => {
    const g = analyzeGraph(doc("r1 a1 a2 w1 w2", "r1>a1 r1>a2 a1>w1 a2>w2"));
    expect(g.diagnostics).toEqual([]);
    expect(g.outputsOf.get("r1")).toEqual(["a1", "a2"]);
  });

  it("reports a cycle on every node on it, with the loop in the message", () => {
    const g = analyzeGraph(doc("r1 a1 a2 a3 w1", "r1>a1 a1>a2 a2>a3 a3>a1 a3>w1"));
    expect(g.order).toBeNull();
    expect(g.cycles).toEqual([["a1", "a2", "a3"]]);
    const cycle = g.diagnostics.filter((d) => d.code === "E_CYCLE");
    expect(cycle.map((d) => d.nodeId)).toEqual(["a1", "a2", "a3"]);
    expect(cycle[0].message).toBe("Node 'a1' is part of a cycle: a1 -> a2 -> a3 -> a1");
  });

  it("finds separate cycles and ranks nodes before them first", () => {
    const g = analyzeGraph(doc("a1 a2 r1 a3 a4 w1", "a1>a2 a2>a1 r1>a3 a3>a4 a4>a3"));
    expect(g.cycles.map((c) => [...c].sort())).toEqual([["a1", "a2"], ["a3", "a4"]]);
    expect(g.rank.get("r1")).toBe(0);
  });

  it("reports dangling edges on the end that exists", () => {
    expect(codes(doc("r1 w1", "r1>w1 r1>ghost ghost>w1 x>y"))).toEqual([
      "E_EDGE_DANGLING@r1", "E_EDGE_DANGLING@w1", "E_EDGE_DANGLING",
    ]);
  });

  it("reports self and duplicate edges and ignores them afterwards", () => {
    expect(codes(doc("r1 a1 w1", "r1>a1 a1>a1 a1>w1 a1>w1"))).toEqual(["E_EDGE_SELF@a1", "E_EDGE_DUPLICATE@w1"]);
    expect(analyzeGraph(doc("r1 a1 w1", "r1>a1 a1>a1 a1>w1 a1>w1")).order).toEqual(["r1", "a1", "w1"]);
  });

  it("requires exactly one input for transforms and sinks", () => {
    expect(codes(doc("r1 r2 a1 w1", "r1>a1 r2>a1 a1>w1"))).toEqual(["E_INPUT_MULTIPLE@a1"]);
    expect(codes(doc("r1 a1 w1", "r1>w1"))).toEqual(["E_INPUT_MISSING@a1", "W_NODE_UNUSED@a1"]);
    expect(codes(doc("r1 w1"))).toEqual(["E_INPUT_MISSING@w1", "W_NODE_UNUSED@r1"]);
  });

  it("rejects inputs into sources and outputs out of sinks", () => {
    expect(codes(doc("r1 r2 w1", "r1>r2 r2>w1"))).toEqual(["E_SOURCE_HAS_INPUT@r2"]);
    expect(codes(doc("r1 w1 w2", "r1>w1 w1>w2"))).toEqual(["E_SINK_HAS_OUTPUT@w1"]);
  });

  it("reports a pipeline without source or sink once, not per node", () => {
    expect(codes(doc("a1 w1", "a1>w1"))).toEqual(["E_INPUT_MISSING@a1", "E_NO_SOURCE"]);
    expect(codes(doc("r1 a1", "r1>a1"))).toEqual(["E_NO_SINK"]);
    expect(codes(doc(""))).toEqual(["E_NO_SOURCE", "E_NO_SINK"]);
  });

  it("warns about branches that never reach a sink", () => {
    expect(codes(doc("r1 a1 a2 w1", "r1>a1 r1>a2 a1>w1"))).toEqual(["W_NODE_UNUSED@a2"]);
  });

  it("stays linear on long chains and wide fans", () => {
    const n = 5000;
    const ids = Array.from({ length: n }, (_, i) => `a${i}`);
    const chain = analyzeGraph(doc(`r0 ${ids.join(" ")} w0`, ["r0>a0", ...ids.slice(1).map((id, i) => `${ids[i]}>${id}`), `a${n - 1}>w0`].join(" ")));
    expect(chain.order).toHaveLength(n + 2);
    expect(chain.diagnostics).toEqual([]);
    const ring = analyzeGraph(doc(ids.join(" "), ids.map((id, i) => `${id}>${ids[(i + 1) % n]}`).join(" ")));
    expect(ring.cycles[0]).toHaveLength(n); // iterative Tarjan: no stack overflow
  });
});
