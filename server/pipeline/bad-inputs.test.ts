// A table of broken pipelines, each pinned to the exact code and node a user would see.
import { describe, expect, it } from "vitest";
import { analyze } from "./analyze";
import type { Diagnostic, DiagnosticCode } from "./diagnostics";
import type { AnalyzeContext } from "./kinds/spec";
import { parseDocument } from "./parse-document";
import { serializeDocument } from "./serialize";
import { reviewsPipeline, reviewsSource } from "./test-fixtures";

// Plain JSON edited freely, including into invalid shapes: that is the point of these cases.
type Json = Record<string, any>;
const CTX: AnalyzeContext = { sources: { read: reviewsSource("data/reviews") } };

/** The acceptance pipeline as plain JSON, changed by `edit`. */
function variant(edit: (d: Json, node: (id: string) => Json) => void): Json {
  const d: Json = JSON.parse(serializeDocument(reviewsPipeline()));
  edit(d, (id) => d.nodes.find((n: Json) => n.id === id));
  return d;
}
const PARAMS = (id: string, params: Json) => (d: Json, node: (id: string) => Json) => Object.assign(node(id).params, params);

interface Case {
  name: string;
  input: string | Json;
  ctx?: AnalyzeContext;
  code: DiagnosticCode;
  nodeId: string | undefined;
}

const CASES: Case[] = [
  { name: "unknown column in drop", input: variant(PARAMS("drop", { columns: ["reviw_body"] })), code: "E_COLUMN_UNKNOWN", nodeId: "drop" },
  { name: "unknown column in sort", input: variant(PARAMS("sort", { keys: [{ column: "votes", descending: true }] })), code: "E_COLUMN_UNKNOWN", nodeId: "sort" },
  { name: "unknown column in expression", input: variant(PARAMS("ratio", { expression: "helpful_votes / totl_votes" })), code: "E_COLUMN_UNKNOWN", nodeId: "ratio" },
  { name: "expression type error", input: variant(PARAMS("ratio", { expression: "marketplace + star_rating" })), code: "E_EXPR_TYPE", nodeId: "ratio" },
  { name: "expression parse error", input: variant(PARAMS("ratio", { expression: "round(helpful_votes, 2" })), code: "E_EXPR_PARSE", nodeId: "ratio" },
  { name: "empty expression", input: variant(PARAMS("ratio", { expression: "  " })), code: "E_EXPR_EMPTY", nodeId: "ratio" },
  { name: "unknown function", input: variant(PARAMS("ratio", { expression: "lenght(review_body)" })), code: "E_EXPR_FUNCTION_UNKNOWN", nodeId: "ratio" },
  { name: "wrong arity", input: variant(PARAMS("ratio", { expression: "round(helpful_votes, 1, 2)" })), code: "E_EXPR_ARITY", nodeId: "ratio" },
  { name: "column used after it was dropped", input: variant(PARAMS("sort", { keys: [{ column: "review_body", descending: false }] })), code: "E_COLUMN_UNKNOWN", nodeId: "sort" },
  { name: "cycle", input: variant((d) => d.edges.push({ source: "sort", target: "drop" })), code: "E_CYCLE", nodeId: "drop" },
  { name: "dangling edge", input: variant((d) => d.edges.push({ source: "sort", target: "ghost" })), code: "E_EDGE_DANGLING", nodeId: "sort" },
  { name: "self edge", input: variant((d) => d.edges.push({ source: "keep", target: "keep" })), code: "E_EDGE_SELF", nodeId: "keep" },
  { name: "duplicate edge", input: variant((d) => d.edges.push({ source: "read", target: "ratio" })), code: "E_EDGE_DUPLICATE", nodeId: "ratio" },
  { name: "two inputs into a transform", input: variant((d) => d.edges.push({ source: "read", target: "drop" })), code: "E_INPUT_MULTIPLE", nodeId: "drop" },
  { name: "transform without input", input: variant((d) => (d.edges = d.edges.filter((e: Json) => e.target !== "keep"))), code: "E_INPUT_MISSING", nodeId: "keep" },
  { name: "no source", input: variant((d) => { d.nodes = d.nodes.filter((n: Json) => n.id !== "read"); d.edges = d.edges.slice(1); }), code: "E_NO_SOURCE", nodeId: undefined },
  { name: "no sink", input: variant((d) => { d.nodes = d.nodes.filter((n: Json) => n.id !== "out"); d.edges = d.edges.slice(0, -1); }), code: "E_NO_SINK", nodeId: undefined },
  { name: "source with an input", input: variant((d) => d.edges.push({ source: "ratio", target: "read" })), code: "E_SOURCE_HAS_INPUT", nodeId: "read" },
  {
    name: "sink feeding a node",
    input: variant((d) => { d.nodes.push({ id: "more", kind: "sort", params: { keys: [{ column: "year" }] } }); d.edges.push({ source: "out", target: "more" }); }),
    code: "E_SINK_HAS_OUTPUT", nodeId: "out",
  },
  { name: "branch that reaches no sink", input: variant((d) => { d.nodes.push({ id: "side", kind: "sort", params: { keys: [{ column: "year" }] } }); d.edges.push({ source: "ratio", target: "side" }); }), code: "W_NODE_UNUSED", nodeId: "side" },
  { name: "missing read path", input: variant(PARAMS("read", { path: "" })), code: "E_PATH_MISSING", nodeId: "read" },
  { name: "missing write path", input: variant(PARAMS("out", { path: " " })), code: "E_PATH_MISSING", nodeId: "out" },
  { name: "UDF without keep()", input: variant(PARAMS("keep", { source: "def compute(batch):\n    return batch\n" })), code: "E_UDF_NO_KEEP", nodeId: "keep" },
  { name: "empty UDF", input: variant(PARAMS("keep", { source: "" })), code: "E_UDF_EMPTY", nodeId: "keep" },
  { name: "python column without compute()", input: variant(PARAMS("flag", { source: "def keep(batch):\n    return batch\n" })), code: "E_UDF_NO_COMPUTE", nodeId: "flag" },
  { name: "adding a column that already exists", input: variant(PARAMS("ratio", { column: "total_votes" })), code: "E_COLUMN_EXISTS", nodeId: "ratio" },
  { name: "empty new column name", input: variant(PARAMS("flag", { column: "" })), code: "E_COLUMN_NAME_EMPTY", nodeId: "flag" },
  { name: "unknown node kind", input: variant((_, node) => (node("sort").kind = "order-by")), code: "E_NODE_KIND_UNKNOWN", nodeId: "sort" },
  { name: "unsupported schemaVersion", input: variant((d) => (d.schemaVersion = 7)), code: "E_SCHEMA_VERSION", nodeId: undefined },
  { name: "malformed JSON", input: '{"schemaVersion": 1, "nodes": [}', code: "E_JSON_MALFORMED", nodeId: undefined },
  { name: "not a document", input: "[1, 2, 3]", code: "E_DOC_INVALID", nodeId: undefined },
  { name: "duplicate ids", input: variant((_, node) => (node("sort").id = "keep")), code: "E_NODE_ID_DUPLICATE", nodeId: "keep" },
  { name: "invalid id", input: variant((_, node) => (node("sort").id = "sort-1")), code: "E_NODE_ID_INVALID", nodeId: "sort-1" },
  { name: "invalid setting type", input: variant(PARAMS("out", { format: "xlsx" })), code: "E_PARAMS_INVALID", nodeId: "out" },
  { name: "source not found", input: variant(() => {}), ctx: { sources: { read: { ok: false, code: "E_SOURCE_NOT_FOUND", message: "no such directory" } } }, code: "E_SOURCE_NOT_FOUND", nodeId: "read" },
  { name: "source unreadable", input: variant(() => {}), ctx: { sources: { read: { ok: false, code: "E_SOURCE_UNREADABLE", message: "not a parquet file" } } }, code: "E_SOURCE_UNREADABLE", nodeId: "read" },
  { name: "python syntax error", input: variant(() => {}), ctx: { ...CTX, python: { keep: { ok: false, line: 2, message: "invalid syntax" } } }, code: "E_PY_SYNTAX", nodeId: "keep" },
  { name: "write onto the source", input: variant(PARAMS("out", { path: "./data/reviews/" })), code: "E_WRITE_PATH_CONFLICT", nodeId: "out" },
  {
    name: "two writes to one path",
    input: variant((d) => { d.nodes.push({ id: "out2", kind: "write", params: { path: "out//reviews" } }); d.edges.push({ source: "sort", target: "out2" }); }),
    code: "E_WRITE_PATH_CONFLICT", nodeId: "out2",
  },
  { name: "drop every column", input: variant(PARAMS("drop", { columns: [] })), code: "E_DROP_EMPTY", nodeId: "drop" },
  { name: "unknown column in read selection", input: variant(PARAMS("read", { columns: ["marketplace", "stars"] })), code: "E_COLUMN_UNKNOWN", nodeId: "read" },
  { name: "no sort keys", input: variant(PARAMS("sort", { keys: [] })), code: "E_SORT_NO_KEYS", nodeId: "sort" },
  { name: "duplicate sort key", input: variant(PARAMS("sort", { keys: [{ column: "year" }, { column: "year", descending: true }] })), code: "E_COLUMN_DUPLICATE", nodeId: "sort" },
  { name: "actor pool with no actors", input: variant(PARAMS("flag", { compute: { strategy: "actors", minSize: 0, maxSize: 0 } })), code: "E_COMPUTE_INVALID", nodeId: "flag" },
  { name: "non-positive batch size", input: variant(PARAMS("keep", { batchSize: 0 })), code: "E_COMPUTE_INVALID", nodeId: "keep" },
];

/** Parse, then analyze when parsing succeeded: the path every caller takes. */
function check(input: string | Json, ctx: AnalyzeContext): Diagnostic[] {
  const parsed = parseDocument(input);
  return parsed.doc ? analyze(parsed.doc, ctx).diagnostics : parsed.diagnostics;
}

describe("bad pipelines", () => {
  it("has a broad table", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)("$name -> $code on $nodeId", ({ input, ctx, code, nodeId }) => {
    let diagnostics: Diagnostic[] = [];
    expect(() => (diagnostics = check(input, ctx ?? CTX))).not.toThrow();
    expect(diagnostics.map((d) => [d.code, d.nodeId])).toContainEqual([code, nodeId]);
    const found = diagnostics.find((d) => d.code === code && d.nodeId === nodeId)!;
    expect(found.message.length).toBeGreaterThan(5);
    expect(found.severity).toBe(code.startsWith("W_") ? "warning" : "error");
  });

  it("drop-all and unsortable keys are caught on the node", () => {
    const all = reviewsPipeline();
    const drop = all.nodes.find((n) => n.id === "drop")!;
    if (drop.kind !== "drop-columns") throw new Error("fixture changed");
    const cols = ["marketplace", "customer_id", "review_id", "product_id", "product_parent", "product_title", "star_rating",
      "helpful_votes", "total_votes", "vine", "verified_purchase", "review_headline", "review_body", "review_date", "year", "product_category", "helpful_ratio"];
    drop.params.columns = cols;
    expect(analyze(all, CTX).diagnostics.map((d) => [d.code, d.nodeId])).toContainEqual(["E_DROP_ALL", "drop"]);

    const source = { ok: true as const, info: { path: "p", schema: [{ name: "tags", type: "list" as const, nullable: true }], numRows: 1, sizeBytes: 1, files: 1, partitionKeys: [] } };
    const doc = reviewsPipeline();
    doc.nodes = doc.nodes.filter((n) => ["read", "sort", "out"].includes(n.id));
    doc.edges = [{ source: "read", target: "sort" }, { source: "sort", target: "out" }];
    const sort = doc.nodes.find((n) => n.id === "sort")!;
    if (sort.kind === "sort") sort.params.keys = [{ column: "tags", descending: false }];
    expect(analyze(doc, { sources: { read: source } }).diagnostics.map((d) => [d.code, d.nodeId])).toEqual([["E_SORT_KEY_UNSORTABLE", "sort"]]);
  });

  it("the unmodified acceptance pipeline is clean", () => {
    expect(check(variant(() => {}), CTX)).toEqual([]);
  });
});
