// Tests for parseDocument: versions, migrations, unknown kinds, settings, ids, and never throwing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Upgrader } from "./migrations";
import { parseDocument } from "./parse-document";
import { serializeDocument } from "./serialize";
import { reviewsPipeline } from "./test-fixtures";

const valid = () => JSON.parse(serializeDocument(reviewsPipeline()));
const codes = (input: unknown) => parseDocument(input).diagnostics.map((d) => `${d.code}${d.nodeId ? `@${d.nodeId}` : ""}`);

describe("parseDocument", () => {
  it("reads a valid document from text or value, filling defaults", () => {
    const text = serializeDocument(reviewsPipeline());
    expect(parseDocument(text)).toEqual({ doc: reviewsPipeline(), diagnostics: [] });
    const minimal = parseDocument({ schemaVersion: 1, nodes: [{ id: "out", kind: "write", params: {} }], edges: [] });
    expect(minimal.doc?.nodes[0]).toEqual({ id: "out", kind: "write", params: { path: "", format: "parquet", mode: "error" }, position: { x: 0, y: 0 } });
    expect(minimal.doc?.name).toBe("Untitled pipeline");
  });

  it("accepts a byte-order mark", () => {
    expect(parseDocument("\uFEFF" + serializeDocument(reviewsPipeline())).doc).not.toBeNull();
  });

  it("locates malformed JSON by line and column", () => {
    expect(parseDocument('{\n  "schemaVersion": 1,\n  "nodes": [,]\n}').diagnostics).toEqual([expect.objectContaining({
      code: "E_JSON_MALFORMED", message: "The file is not valid JSON: expected a value but found ',' at line 3, column 13",
    })]);
    expect(codes("")).toEqual(["E_JSON_MALFORMED"]);
  });

  it("rejects values that are not objects", () => {
    for (const v of [null, 3, "3", [], true, undefined]) expect(codes(v)).toEqual(["E_DOC_INVALID"]);
    expect(parseDocument([]).diagnostics[0].message).toBe("A pipeline document must be a JSON object, not a list");
  });

  it("explains unsupported schema versions", () => {
    expect(parseDocument({ ...valid(), schemaVersion: 7 }).diagnostics).toEqual([expect.objectContaining({
      code: "E_SCHEMA_VERSION", message: "This file has schemaVersion 7; this version of the app reads 1",
      hint: "It was saved by a newer version of the app; upgrade the app to open it",
    })]);
    const { schemaVersion: _, ...noVersion } = valid();
    expect(parseDocument(noVersion).diagnostics[0].message).toBe("This file has no schemaVersion; this version of the app reads 1");
    expect(codes({ ...valid(), schemaVersion: 0 })).toEqual(["E_SCHEMA_VERSION"]);
    expect(codes({ ...valid(), schemaVersion: "1" })).toEqual(["E_SCHEMA_VERSION"]);
  });

  it("upgrades older documents through the migration table", () => {
    const renameNodes: Upgrader = (d) => ({ ...d, nodes: d.steps, steps: undefined });
    const old = { schemaVersion: 0, steps: valid().nodes, edges: valid().edges };
    const r = parseDocument(old, { migrations: new Map([[0, renameNodes]]) });
    expect(r.diagnostics).toEqual([]);
    expect(r.doc?.nodes.map((n) => n.id)).toEqual(["read", "ratio", "drop", "keep", "sort", "flag", "out"]);
    expect(old.schemaVersion).toBe(0); // input untouched
  });

  it("reports every unknown node kind with its node id", () => {
    const doc = valid();
    doc.nodes[1].kind = "pivot";
    doc.nodes[3].kind = "udf_filter";
    doc.nodes[4].kind = undefined;
    const r = parseDocument(doc);
    expect(r.doc).toBeNull();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: "E_NODE_KIND_UNKNOWN", nodeId: "ratio", message: "Unknown node kind 'pivot' on node 'ratio'" }),
      expect.objectContaining({ code: "E_NODE_KIND_UNKNOWN", nodeId: "keep", hint: "Did you mean 'udf-filter'?" }),
      expect.objectContaining({ code: "E_NODE_KIND_UNKNOWN", nodeId: "sort", message: "Missing node kind on node 'sort'" }),
    ]);
  });

  it("reports invalid settings with node id and field path", () => {
    const doc = valid();
    doc.nodes[5].params.compute.minSize = "one";
    doc.nodes[6].params.mode = "replace";
    expect(parseDocument(doc).diagnostics).toEqual([
      expect.objectContaining({ code: "E_PARAMS_INVALID", nodeId: "flag", field: "compute.minSize" }),
      expect.objectContaining({ code: "E_PARAMS_INVALID", nodeId: "out", field: "mode",
        message: expect.stringMatching(/^Invalid setting 'mode' on node 'out': /) }),
    ]);
  });

  it("reports document-level problems with their path", () => {
    const doc = valid();
    doc.edges[2] = { source: 5 };
    expect(parseDocument(doc).diagnostics.map((d) => [d.code, d.message.split(":")[0]])).toEqual([
      ["E_DOC_INVALID", "edges[2].source"], ["E_DOC_INVALID", "edges[2].target"],
    ]);
    expect(codes({ schemaVersion: 1 })).toEqual(["E_DOC_INVALID", "E_DOC_INVALID"]);
    expect(codes({ schemaVersion: 1, nodes: [42], edges: [] })).toEqual(["E_DOC_INVALID"]);
  });

  it("reports invalid and duplicate ids", () => {
    const doc = valid();
    doc.nodes[2].id = "read";
    doc.nodes[3].id = "2nd step";
    doc.nodes[4].id = 12;
    expect(codes(doc)).toEqual(["E_NODE_ID_DUPLICATE@read", "E_NODE_ID_INVALID@2nd step", "E_NODE_ID_INVALID"]);
  });

  it("never throws on arbitrary JSON values or strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything(), fc.string(), fc.json()), (input) => {
        const r = parseDocument(input);
        expect(Array.isArray(r.diagnostics)).toBe(true);
        expect(r.doc === null || r.diagnostics.length === 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on near-miss documents", () => {
    const node = fc.record({
      id: fc.oneof(fc.constantFrom("a", "b", "constructor", "__proto__", "1x"), fc.anything()),
      kind: fc.oneof(fc.constantFrom("read-parquet", "add-column", "drop-columns", "sort", "udf-filter", "write"), fc.anything()),
      params: fc.oneof(fc.dictionary(fc.constantFrom("path", "columns", "keys", "compute", "column", "mode"), fc.jsonValue()), fc.anything()),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.record({ schemaVersion: fc.constantFrom(1, 1, 2), nodes: fc.array(node), edges: fc.anything() }), (input) => {
        expect(Array.isArray(parseDocument(input).diagnostics)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("survives huge nesting and large inputs", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(codes(deep)).toEqual(["E_DOC_INVALID"]);
    expect(codes("[".repeat(100_000))).toEqual(["E_JSON_MALFORMED"]);
    const nested = `{"schemaVersion":1,"nodes":[{"id":"a","kind":"write","params":{"path":${"[".repeat(50_000)}${"]".repeat(50_000)}}}],"edges":[]}`;
    expect(codes(nested)).toEqual(["E_PARAMS_INVALID@a"]);
  });
});
