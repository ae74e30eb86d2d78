// Tests for serializeDocument: exact key order and formatting, round trip through parseDocument.
import { describe, expect, it } from "vitest";
import { parseDocument } from "./parse-document";
import { PipelineDocumentSchema } from "./schema";
import { serializeDocument } from "./serialize";
import { reviewsPipeline } from "./test-fixtures";

describe("serializeDocument", () => {
  it("round-trips through parseDocument", () => {
    const doc = reviewsPipeline();
    expect(parseDocument(serializeDocument(doc)).doc).toEqual(doc);
  });

  it("writes keys in schema order, positions last, with a trailing newline", () => {
    const doc = PipelineDocumentSchema.parse({
      edges: [{ target: "b", source: "a" }],
      nodes: [{ position: { y: 2, x: 1 }, params: { compute: { maxSize: 4, strategy: "actors", minSize: 2 }, source: "def keep(b):\n  return b" }, kind: "udf-filter", id: "a", name: "keep" }],
      name: "n", id: "p", schemaVersion: 1, description: "d",
    });
    expect(serializeDocument(doc)).toBe(`{
  "schemaVersion": 1,
  "id": "p",
  "name": "n",
  "description": "d",
  "nodes": [
    {
      "id": "a",
      "kind": "udf-filter",
      "name": "keep",
      "params": {
        "source": "def keep(b):\\n  return b",
        "compute": {
          "strategy": "actors",
          "minSize": 2,
          "maxSize": 4
        },
        "batchSize": null
      },
      "position": {
        "x": 1,
        "y": 2
      }
    }
  ],
  "edges": [
    {
      "source": "a",
      "target": "b"
    }
  ]
}
`);
  });

  it("orders nested sort keys and omits absent optional fields", () => {
    const doc = PipelineDocumentSchema.parse({
      schemaVersion: 1, edges: [],
      nodes: [{ id: "s", kind: "sort", params: { keys: [{ descending: true, column: "x" }] } }],
    });
    const text = serializeDocument(doc);
    expect(text).toContain('"column": "x",\n            "descending": true');
    expect(text).not.toContain("description");
    expect(text).not.toContain('"name": undefined');
  });

  it("is stable: serialising twice gives the same text", () => {
    const once = serializeDocument(reviewsPipeline());
    expect(serializeDocument(parseDocument(once).doc!)).toBe(once);
  });
});
