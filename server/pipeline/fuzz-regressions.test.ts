// Minimised inputs the fuzzers (fuzz.test.ts, expr/fuzz.test.ts) found, pinned as plain unit
// tests: each once threw, overflowed the stack or built a message as long as the document.
import { describe, expect, it } from "vitest";
import { analyze } from "./analyze";
import { parseExpr } from "./expr";
import { MAX_EXPR_DEPTH } from "./expr/parser";
import { MAX_LIST_PROBLEMS } from "./kinds/common";
import { parseDocument } from "./parse-document";
import { PipelineDocumentSchema, type PipelineDocument } from "./schema";
import { reviewsSource } from "./test-fixtures";

const doc = (nodes: unknown[], edges: unknown[]): PipelineDocument => PipelineDocumentSchema.parse({ schemaVersion: 1, nodes, edges });
const read = { id: "read", kind: "read-parquet", params: { path: "data/reviews" } };
const messages = (d: PipelineDocument) => analyze(d, { sources: { read: reviewsSource() } }).diagnostics.map((x) => x.message);

describe("fuzz regressions", () => {
  it("a cycle through many nodes names a few of them, not the whole loop in every message", () => {
    const n = 100;
    const nodes = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: "sort", params: { keys: [{ column: "year" }] } }));
    const edges = nodes.map((_, i) => ({ source: `s${i}`, target: `s${(i + 1) % n}` }));
    const cycle = analyze(doc(nodes, edges)).diagnostics.filter((d) => d.code === "E_CYCLE");
    expect(cycle).toHaveLength(n);
    expect(cycle[0].message).toBe("Node 's0' is part of a cycle: s0 -> s1 -> s2 -> s3 -> s4 -> s5 -> (94 more) -> s0");
  });

  it("an edge to a 200 000-character id gets a clipped message", () => {
    const d = doc([read], [{ source: "read", target: "x".repeat(200_000) }]);
    const dangling = analyze(d).diagnostics.find((x) => x.code === "E_EDGE_DANGLING")!;
    expect(dangling.message.length).toBeLessThan(250);
    expect(dangling.message).toContain("…");
  });

  it("fifty writes to one path list six of them in each message", () => {
    const writes = Array.from({ length: 50 }, (_, i) => ({ id: `w${i}`, kind: "write", params: { path: "out/same" } }));
    const found = messages(doc([read, ...writes], writes.map((w) => ({ source: "read", target: w.id }))));
    expect(found).toContain("Writes 'w0', 'w1', 'w2', 'w3', 'w4', 'w5' and 44 more all target 'out/same'");
  });

  it("600 000 stray characters in an expression give a few errors, not a stack overflow", () => {
    const text = "€".repeat(600_000);
    const parsed = parseExpr(text);
    expect(parsed.expr).toBeNull();
    expect(parsed.errors.length).toBeLessThanOrEqual(20);
    const ratio = { id: "ratio", kind: "add-column", params: { column: "r", expression: text } };
    const out = { id: "out", kind: "write", params: { path: "out/x" } };
    const d = doc([read, ratio, out], [{ source: "read", target: "ratio" }, { source: "ratio", target: "out" }]);
    expect(analyze(d).diagnostics.filter((x) => x.nodeId === "ratio").map((x) => x.code)).toContain("E_EXPR_PARSE");
  });

  it("a 2400-term chain is refused as too deep instead of overflowing the checker; 64 levels still work", () => {
    const long = parseExpr("1 + ".repeat(2_400) + "1");
    expect(long.errors.map((e) => e.message)).toEqual([`The expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels of operators and calls)`]);
    expect(parseExpr("total_votes + ".repeat(MAX_EXPR_DEPTH - 1) + "1").errors).toEqual([]);
  });

  it("a drop list of 200 000 empty names reports the first ones only", () => {
    const drop = { id: "drop", kind: "drop-columns", params: { columns: Array(200_000).fill("") } };
    const out = { id: "out", kind: "write", params: { path: "out/x" } };
    const parsed = parseDocument({ schemaVersion: 1, nodes: [read, drop, out], edges: [{ source: "read", target: "drop" }, { source: "drop", target: "out" }] });
    const found = analyze(parsed.doc!, { sources: { read: reviewsSource() } }).diagnostics.filter((x) => x.code === "E_COLUMN_NAME_EMPTY");
    expect(found).toHaveLength(MAX_LIST_PROBLEMS);
    expect(found[0]).toMatchObject({ nodeId: "drop", field: "columns.0", message: "Entry 1 has no column name" });
  });
});
