// Size limits reported as diagnostics: what the canvas, the CLI and the server all say when a
// pipeline, its file or one UDF is too big.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "./analyze";
import { checkDocumentBytes, formatBytes, PIPELINE_LIMITS, utf8Length } from "./limits";
import { parseDocument } from "./parse-document";
import { serializeDocument } from "./serialize";
import { reviewsPipeline, reviewsSource } from "./test-fixtures";

const CTX = { sources: { read: reviewsSource() } };
const sorts = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: "sort", params: { keys: [] } }));

describe("pipeline size limits", () => {
  it("refuses a file over the size limit before parsing it", () => {
    const text = `{"schemaVersion": 1, "name": "${"x".repeat(PIPELINE_LIMITS.maxDocumentBytes)}"`; // not even valid JSON
    expect(parseDocument(text)).toEqual({
      doc: null,
      diagnostics: [expect.objectContaining({ code: "E_PIPELINE_TOO_LARGE", severity: "error", message: "The pipeline is 5000031 bytes; the limit is 5000000 bytes" })],
    });
  });

  it("measures UTF-8 bytes, so a file of multi-byte text is refused at the same size on disk", () => {
    const under = JSON.stringify({ ...JSON.parse(serializeDocument(reviewsPipeline())), description: "é".repeat(2_000_000) });
    expect(parseDocument(under).diagnostics).toEqual([]);
    const over = JSON.stringify({ ...JSON.parse(serializeDocument(reviewsPipeline())), description: "é".repeat(2_600_000) });
    expect(parseDocument(over).diagnostics.map((d) => d.message)).toEqual(["The pipeline is 5.2 MB; the limit is 5 MB"]);
  });

  it("measures a value sent by a client as it would be saved", () => {
    const doc = { ...JSON.parse(serializeDocument(reviewsPipeline())), description: "d".repeat(PIPELINE_LIMITS.maxDocumentBytes) };
    expect(parseDocument(doc).diagnostics.map((d) => d.code)).toEqual(["E_PIPELINE_TOO_LARGE"]);
  });

  it("refuses more nodes or edges than the limit, saying both numbers", () => {
    const tooMany = parseDocument({ schemaVersion: 1, nodes: sorts(PIPELINE_LIMITS.maxNodes + 1), edges: [] });
    expect(tooMany.diagnostics.map((d) => d.message)).toEqual(["The pipeline has 10001 nodes; the limit is 10000"]);
    const edges = Array.from({ length: PIPELINE_LIMITS.maxEdges + 1 }, () => ({ source: "a", target: "b" }));
    expect(parseDocument({ schemaVersion: 1, nodes: [], edges }).diagnostics.map((d) => d.message)).toEqual(["The pipeline has 20001 edges; the limit is 20000"]);
    expect(parseDocument({ schemaVersion: 1, nodes: sorts(PIPELINE_LIMITS.maxNodes), edges: [] }).diagnostics.map((d) => d.code)).not.toContain("E_PIPELINE_TOO_LARGE");
  });

  it("analysis (the canvas) reports too many nodes on the document", () => {
    const doc = reviewsPipeline();
    doc.nodes.push(...sorts(PIPELINE_LIMITS.maxNodes).map((n) => ({ ...n, kind: "sort" as const, position: { x: 0, y: 0 }, params: { keys: [] } })));
    const found = analyze(doc, CTX).diagnostics.filter((d) => d.code === "E_PIPELINE_TOO_LARGE");
    expect(found).toEqual([expect.objectContaining({ message: "The pipeline has 10007 nodes; the limit is 10000", hint: "Split it into several pipelines" })]);
    expect(found[0].nodeId).toBeUndefined();
  });

  it("pins an oversized UDF to its node and field, for filters and Python columns alike", () => {
    const doc = reviewsPipeline();
    for (const n of doc.nodes) {
      if (n.kind === "udf-filter") n.params.source += "#".repeat(PIPELINE_LIMITS.maxUdfSourceBytes);
      if (n.kind === "add-column" && n.params.mode === "python") n.params.source += "# é\n".repeat(50_000); // 250 kB in 200 000 characters
    }
    const found = analyze(doc, CTX).diagnostics.filter((d) => d.code === "E_UDF_TOO_LARGE");
    expect(found.map((d) => [d.nodeId, d.field, d.severity])).toEqual([["keep", "source", "error"], ["flag", "source", "error"]]);
    expect(found[1].message).toBe("The Python source is 250.1 kB; the limit is 200 kB");
  });

  it("accepts a UDF exactly at the limit", () => {
    const doc = reviewsPipeline();
    const keep = doc.nodes.find((n) => n.kind === "udf-filter")!;
    if (keep.kind === "udf-filter") keep.params.source = keep.params.source.padEnd(PIPELINE_LIMITS.maxUdfSourceBytes, "#");
    expect(analyze(doc, CTX).diagnostics).toEqual([]);
  });

  it("counts UTF-8 bytes exactly, surrogate pairs and lone surrogates included", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 50 }), (s) => {
      expect(utf8Length(s)).toBe(Buffer.byteLength(s, "utf8"));
    }), { seed: 7, numRuns: 1000 });
    expect(checkDocumentBytes("é".repeat(2_500_000))).toEqual([]);
    expect(checkDocumentBytes("é".repeat(2_500_001))).toHaveLength(1);
  });

  it("formats sizes the way people read them", () => {
    expect([formatBytes(950), formatBytes(200_000), formatBytes(5_000_000), formatBytes(5_250_000)]).toEqual(["950 bytes", "200 kB", "5 MB", "5.3 MB"]);
  });
});
