// Fuzzing the document parser and the whole-pipeline analysis: random text, random JSON, and
// thousands of mutations of the pipelines we ship. Whatever comes in, the user gets diagnostics
// with codes from the one list — never an exception — and a document that parses survives a
// save/load round trip. Fixed seeds keep CI reproducible; a hang shows as the test timeout.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diagnosticProblem, mutatedDocument, mutatedText, shippedDocuments, trickyText, weirdValue } from "../fuzz/documents";
import { analyze } from "./analyze";
import type { AnalyzeContext } from "./kinds/spec";
import { parseDocument } from "./parse-document";
import type { PipelineDocument } from "./schema";
import { serializeDocument } from "./serialize";
import { reviewsSource } from "./test-fixtures";

const DOCS = shippedDocuments();
const SEED = 20261201;

/** The context the server would gather: footers for some reads (ok or failing), Python checks for some UDFs. */
function contextFor(doc: PipelineDocument, bits: number): AnalyzeContext {
  const sources: NonNullable<AnalyzeContext["sources"]> = {};
  const python: NonNullable<AnalyzeContext["python"]> = {};
  doc.nodes.forEach((n, i) => {
    const b = (bits >> (i % 16)) & 3;
    if (n.kind === "read-parquet" && b !== 3) {
      Object.defineProperty(sources, n.id, { enumerable: true, value: b === 2 ? { ok: false, code: "E_SOURCE_NOT_FOUND", message: "no such directory" } : reviewsSource(n.params.path) });
    }
    if (n.kind === "udf-filter" || (n.kind === "add-column" && n.params.mode === "python")) {
      Object.defineProperty(python, n.id, { enumerable: true, value: b === 2 ? { ok: false, line: 2, message: "invalid syntax" } : { ok: true, reads: b === 1 ? ["total_votes"] : null } });
    }
  });
  return { sources, python, connections: bits & 1 ? ["lake"] : undefined };
}

/** What breaks the contract for one input: parse, analyze what parsed, save and reopen. One expect per input keeps thousands fast. */
function problems(input: unknown, bits: number): string[] {
  const parsed = parseDocument(input);
  const bad = diagnosticProblem(parsed.diagnostics);
  if (bad) return [`parse: ${bad}`];
  if (parsed.doc === null) return parsed.diagnostics.length > 0 ? [] : ["no document and no diagnostics"];
  if (parsed.diagnostics.length > 0) return ["a document with diagnostics"];
  const doc = parsed.doc;
  const analysis = analyze(doc, contextFor(doc, bits));
  const out: string[] = [];
  const badAnalysis = diagnosticProblem(analysis.diagnostics);
  if (badAnalysis) out.push(`analyze: ${badAnalysis}`);
  const ids = new Set(doc.nodes.map((n) => n.id));
  for (const d of analysis.diagnostics) if (d.nodeId !== undefined && !ids.has(d.nodeId)) out.push(`${d.code} on a node that does not exist`);
  // What the app saves, it can open again, unchanged.
  const text = serializeDocument(doc);
  const again = parseDocument(text);
  if (again.doc === null) out.push(`saved text does not reopen: ${again.diagnostics[0]?.message}`);
  else if (serializeDocument(again.doc) !== text) out.push("saved text reopens as a different document");
  return out;
}

const checkAll = (input: unknown, bits = 0): void => {
  expect(problems(input, bits)).toEqual([]);
};

describe("document parser and analysis under fuzzing", () => {
  it("ships documents to mutate, and they are clean", () => {
    expect(DOCS.length).toBeGreaterThanOrEqual(10);
    for (const d of DOCS) expect(parseDocument(d.text).diagnostics, d.name).toEqual([]);
  });

  it("random text yields diagnostics, never an exception (2000 inputs)", () => {
    const text = fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.json({ maxDepth: 4 }), trickyText);
    fc.assert(fc.property(text, (t) => checkAll(t)), { seed: SEED, numRuns: 2000 });
  });

  it("random JSON values and document-shaped objects (2000 inputs)", () => {
    const shaped = fc.record({
      schemaVersion: fc.oneof(fc.constant(1), weirdValue),
      nodes: fc.oneof(weirdValue, fc.array(fc.record({ id: weirdValue, kind: weirdValue, params: weirdValue }, { requiredKeys: [] }), { maxLength: 6 })),
      edges: fc.oneof(weirdValue, fc.array(fc.record({ source: weirdValue, target: weirdValue }, { requiredKeys: [] }), { maxLength: 6 })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.oneof(weirdValue, shaped), (v) => checkAll(v)), { seed: SEED + 1, numRuns: 2000 });
  });

  it("mutated shipped documents: dropped, duplicated and retyped fields, swapped kinds, broken edges, deep nesting, long text (2000 inputs)", () => {
    fc.assert(fc.property(mutatedDocument(DOCS), fc.nat(), (doc, bits) => checkAll(doc, bits)), { seed: SEED + 2, numRuns: 2000 });
  });

  it("byte-level damage to shipped document text (2000 inputs)", () => {
    fc.assert(fc.property(mutatedText(DOCS.map((d) => d.text)), (t) => checkAll(t)), { seed: SEED + 3, numRuns: 2000 });
  });

  it("pathological sizes: deep nesting, long names, many nodes", () => {
    const deep = 100_000;
    const base = JSON.parse(DOCS[0].text) as { nodes: { id: string; params: Record<string, unknown> }[]; edges: unknown[] };
    const cases: unknown[] = [
      "[".repeat(deep) + "]".repeat(deep),
      "[".repeat(deep),
      `{"schemaVersion":1,"nodes":${"[".repeat(deep)}${"]".repeat(deep)},"edges":[]}`,
      `{"schemaVersion":1,"nodes":[],"edges":[${'{"a":'.repeat(deep)}1${"}".repeat(deep)}]}`,
      { ...base, name: "n".repeat(1_000_000) },
      { ...base, edges: [...base.edges, { source: "x".repeat(200_000), target: "y".repeat(200_000) }] },
      { ...base, nodes: base.nodes.map((n) => ({ ...n, params: { ...n.params, expression: "(".repeat(50_000) + "1" + ")".repeat(50_000) } })) },
      { ...base, nodes: base.nodes.map((n) => ({ ...n, params: { ...n.params, expression: "1 + ".repeat(20_000) + "1" } })) },
    ];
    for (const c of cases) checkAll(c);
  });

  it("a cycle through 3000 nodes and 3000 writes to one path keep every message short", () => {
    const n = 3000;
    const doc = {
      schemaVersion: 1,
      nodes: [
        { id: "read", kind: "read-parquet", params: { path: "data/reviews" } },
        ...Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: "sort", params: { keys: [{ column: "year" }] } })),
        ...Array.from({ length: n }, (_, i) => ({ id: `w${i}`, kind: "write", params: { path: "out/same" } })),
      ],
      edges: [
        ...Array.from({ length: n }, (_, i) => ({ source: `s${i}`, target: `s${(i + 1) % n}` })),
        ...Array.from({ length: n }, (_, i) => ({ source: "read", target: `w${i}` })),
      ],
    };
    checkAll(doc);
    const codes = new Set(analyze(parseDocument(doc).doc!).diagnostics.map((d) => d.code));
    expect(codes).toEqual(new Set(["E_CYCLE", "E_WRITE_PATH_CONFLICT", "W_NODE_UNUSED"]));
  });
});
