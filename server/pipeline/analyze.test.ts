// Tests for analyze(): schema propagation along the acceptance pipeline, diagnostic order, cycles, scale.
import { describe, expect, it } from "vitest";
import { analyze } from "./analyze";
import { PipelineDocumentSchema, type PipelineDocument } from "./schema";
import { REVIEWS_SCHEMA, reviewsPipeline, reviewsSource } from "./test-fixtures";

const CTX = { sources: { read: reviewsSource() } };

describe("analyze", () => {
  it("accepts the acceptance pipeline and propagates schemas node by node", () => {
    const a = analyze(reviewsPipeline(), CTX);
    expect(a.diagnostics).toEqual([]);
    expect(a.order).toEqual(["read", "ratio", "drop", "keep", "sort", "flag", "out"]);
    expect(a.schemas.get("read")).toBe(REVIEWS_SCHEMA);
    expect(a.schemas.get("ratio")!.at(-1)).toEqual({ name: "helpful_ratio", type: "float64", nullable: true });
    expect(a.schemas.get("drop")!.map((c) => c.name)).not.toContain("review_body");
    expect(a.schemas.get("flag")!.at(-1)).toEqual({ name: "low_votes", type: "bool", nullable: true });
    expect(a.schemas.get("out")).toBe(a.schemas.get("flag"));
    expect(a.inputSchemas.get("drop")).toBe(a.schemas.get("ratio"));
    expect(a.inputSchemas.has("read")).toBe(false);
    expect(a.inputOf.get("read")).toBeNull();
    expect(a.inputOf.get("keep")).toBe("drop");
    expect(a.outputsOf.get("sort")).toEqual(["flag"]);
    expect([...a.exprs.keys()]).toEqual(["ratio"]);
  });

  it("knows no schemas without source lookups, and reports nothing for it", () => {
    const a = analyze(reviewsPipeline());
    expect(a.diagnostics).toEqual([]);
    expect(a.schemas.size).toBe(0);
  });

  it("catches a column dropped upstream and used downstream", () => {
    const doc = reviewsPipeline();
    const sort = doc.nodes.find((n) => n.id === "sort")!;
    if (sort.kind !== "sort") throw new Error("fixture changed");
    sort.params.keys = [{ column: "review_body", descending: false }];
    expect(analyze(doc, CTX).diagnostics).toEqual([expect.objectContaining({ code: "E_COLUMN_UNKNOWN", nodeId: "sort", field: "keys.0.column" })]);
  });

  it("sorts diagnostics by topological position, then code", () => {
    const doc = PipelineDocumentSchema.parse({
      schemaVersion: 1,
      nodes: [
        { id: "out", kind: "write", params: {} },
        { id: "drop", kind: "drop-columns", params: { columns: ["nope", ""] } },
        { id: "read", kind: "read-parquet", params: { path: "data/reviews" } },
        { id: "stray", kind: "sort", params: {} },
      ],
      edges: [{ source: "read", target: "drop" }, { source: "drop", target: "out" }],
    });
    const a = analyze(doc, CTX);
    expect(a.diagnostics.map((d) => `${d.code}@${d.nodeId}`)).toEqual([
      "E_COLUMN_NAME_EMPTY@drop", "E_COLUMN_UNKNOWN@drop", "E_PATH_MISSING@out",
      "E_INPUT_MISSING@stray", "E_SORT_NO_KEYS@stray", "W_NODE_UNUSED@stray",
    ]);
  });

  it("still checks nodes around a cycle and gives no order", () => {
    const doc = PipelineDocumentSchema.parse({
      schemaVersion: 1,
      nodes: [
        { id: "read", kind: "read-parquet", params: { path: "data/reviews" } },
        { id: "a", kind: "drop-columns", params: { columns: ["vine"] } },
        { id: "b", kind: "sort", params: { keys: [] } },
        { id: "out", kind: "write", params: { path: "out" } },
      ],
      edges: [{ source: "read", target: "a" }, { source: "a", target: "b" }, { source: "b", target: "a" }, { source: "b", target: "out" }],
    });
    const a = analyze(doc, CTX);
    expect(a.order).toBeNull();
    expect(a.schemas.has("read")).toBe(true);
    expect(a.schemas.has("a")).toBe(false);
    expect(a.diagnostics.map((d) => `${d.code}@${d.nodeId}`)).toEqual(
      expect.arrayContaining(["E_CYCLE@a", "E_CYCLE@b", "E_INPUT_MULTIPLE@a", "E_SORT_NO_KEYS@b"]),
    );
  });

  it("reports duplicate ids in documents that did not come through parseDocument", () => {
    const doc = reviewsPipeline();
    doc.nodes[2] = { ...doc.nodes[2], id: "ratio" };
    expect(analyze(doc, CTX).diagnostics.map((d) => d.code)).toContain("E_NODE_ID_DUPLICATE");
  });

  it("handles a 5000-node chain (linear algorithms; no timing assertion)", () => {
    const n = 5000;
    const kinds = [
      { kind: "sort", params: { keys: [{ column: "total_votes", descending: true }] } },
      { kind: "udf-filter", params: { source: "def keep(b):\n    return b['vine']\n" } },
      { kind: "drop-columns", params: { columns: ["x0"] } },
      { kind: "add-column", params: { column: "x0", expression: "total_votes * 2 + 1" } },
    ];
    const middle = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, ...kinds[i % 4] }));
    const doc: PipelineDocument = PipelineDocumentSchema.parse({
      schemaVersion: 1,
      nodes: [{ id: "read", kind: "read-parquet", params: { path: "data/reviews" } }, ...middle, { id: "out", kind: "write", params: { path: "out" } }],
      edges: ["read", ...middle.map((m) => m.id), "out"].slice(1).map((id, i, ids) => ({ source: i === 0 ? "read" : ids[i - 1], target: id })),
    });
    // Start from a schema that already has x0 so drop/add alternate cleanly.
    const source = { ok: true as const, info: { ...(reviewsSource() as { info: object }).info, schema: [...REVIEWS_SCHEMA, { name: "x0", type: "int64" as const, nullable: false }] } };
    const a = analyze(doc, { sources: { read: source as never } });
    expect(a.diagnostics).toEqual([]);
    expect(a.order).toHaveLength(n + 2);
    expect(a.schemas.get("out")).toHaveLength(REVIEWS_SCHEMA.length + 1);
  });
});
