import { describe, expect, it } from "vitest";
import { reviewsPipeline } from "../pipeline/test-fixtures";
import type { PipelineDocument } from "../pipeline";
import { runToHere } from "./run-to-here";

/** The acceptance pipeline plus a second write straight after the read. */
function twoSinks(): PipelineDocument {
  const doc = reviewsPipeline();
  const out = doc.nodes.find((n) => n.kind === "write")!;
  const raw = { ...out, id: "raw", params: { ...out.params, path: "out/raw" } } as typeof out;
  const read = doc.nodes.find((n) => n.kind === "read-parquet")!;
  return { ...doc, nodes: [...doc.nodes, raw], edges: [...doc.edges, { source: read.id, target: "raw" }] };
}

describe("runToHere", () => {
  it("keeps a selected write and everything upstream of it, nothing else", () => {
    const doc = twoSinks();
    const r = runToHere(doc, "raw");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const read = doc.nodes.find((n) => n.kind === "read-parquet")!.id;
    expect(r.doc.nodes.map((n) => n.id).sort()).toEqual([read, "raw"].sort());
    expect(r.doc.edges).toEqual([{ source: read, target: "raw" }]);
  });

  it("keeps the whole chain for the main write", () => {
    const doc = twoSinks();
    const out = reviewsPipeline().nodes.find((n) => n.kind === "write")!.id;
    const r = runToHere(doc, out);
    expect(r.ok && r.doc.nodes.length).toBe(doc.nodes.length - 1);
    expect(r.ok && r.doc.nodes.some((n) => n.id === "raw")).toBe(false);
  });

  it("refuses a transform and names the writes downstream of it", () => {
    const doc = twoSinks();
    const read = doc.nodes.find((n) => n.kind === "read-parquet")!.id;
    const r = runToHere(doc, read);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/Run to here runs a Write node/);
    expect(!r.ok && r.message).toContain("'raw'");
  });

  it("refuses an unknown node", () => {
    expect(runToHere(reviewsPipeline(), "nope")).toEqual({ ok: false, message: "There is no node 'nope' in this pipeline." });
  });
});
