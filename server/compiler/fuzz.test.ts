// Fuzzing the compiler: mutated shipped pipelines and the acceptance pipeline with generated
// expressions go through compile() and compilePreview(). Whatever comes in, the result is
// diagnostics or a script — never an exception — and every script the compiler emits parses as
// Python (all checked by ONE Python process, as in property.test.ts). Fixed seeds.
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diagnosticProblem, mutatedDocument, shippedDocuments } from "../fuzz/documents";
import { expression } from "../fuzz/expressions";
import { MAX_EXPR_DEPTH } from "../pipeline/expr/parser";
import { hasErrors } from "../pipeline/diagnostics";
import { parseDocument } from "../pipeline/parse-document";
import type { PipelineDocument } from "../pipeline/schema";
import { reviewsPipeline, reviewsSource } from "../pipeline/test-fixtures";
import { compile, compilePreview, type CompileContext } from "./index";

const PYTHON = new URL("../../.venv/bin/python", import.meta.url).pathname;
const DOCS = shippedDocuments();
const SEED = 20261203;

/** What the server passes: every read is the reviews dataset, every UDF passed its syntax check. */
function contextFor(doc: PipelineDocument): CompileContext {
  const sources: Record<string, ReturnType<typeof reviewsSource>> = {};
  const python: Record<string, { ok: true }> = {};
  for (const n of doc.nodes) {
    if (n.kind === "read-parquet") Object.defineProperty(sources, n.id, { enumerable: true, value: reviewsSource(n.params.path) });
    if (n.kind === "udf-filter" || n.kind === "add-column") Object.defineProperty(python, n.id, { enumerable: true, value: { ok: true } });
  }
  return { sources, python };
}

/** Compiles the whole pipeline and a preview of one node; returns contract breaches and the scripts made. */
function compileAll(doc: PipelineDocument, previewAt: number): { problems: string[]; scripts: string[] } {
  const problems: string[] = [];
  const scripts: string[] = [];
  const ctx = contextFor(doc);
  const out = compile(doc, ctx);
  const bad = diagnosticProblem(out.diagnostics);
  if (bad) problems.push(`compile: ${bad}`);
  if (out.python === null) {
    if (!hasErrors(out.diagnostics) && out.diagnostics.every((d) => d.code !== "E_CYCLE")) problems.push("no script and no error");
  } else {
    if (hasErrors(out.diagnostics)) problems.push("a script despite errors");
    const ids = new Set(doc.nodes.map((n) => n.id));
    for (const id of Object.keys(out.sourceMap)) if (!ids.has(id)) problems.push(`source map names unknown node ${id}`);
    scripts.push(out.python);
  }
  if (doc.nodes.length > 0) {
    const node = doc.nodes[previewAt % doc.nodes.length];
    const preview = compilePreview(doc, node.id, ctx);
    const badPreview = diagnosticProblem(preview.diagnostics);
    if (badPreview) problems.push(`preview: ${badPreview}`);
    if (preview.python !== null) scripts.push(preview.python);
  }
  return { problems, scripts };
}

/** ast.parse on every script in one Python process; returns "<index>: <error>" for those that fail. */
function pythonSyntaxErrors(scripts: readonly string[]): string[] {
  const code = [
    "import ast, json, sys",
    "bad = []",
    "for i, src in enumerate(json.load(sys.stdin)):",
    "    try: ast.parse(src)",
    "    except (SyntaxError, RecursionError, MemoryError) as e: bad.append('%d: %s' % (i, e))",
    "print(json.dumps(bad))",
  ].join("\n");
  const r = spawnSync(PYTHON, ["-c", code], { input: JSON.stringify(scripts), encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as string[];
}

/** The acceptance pipeline with `expression` as the add-column node's expression. */
function withExpression(expression: string): PipelineDocument {
  const doc = reviewsPipeline();
  const ratio = doc.nodes.find((n) => n.id === "ratio")!;
  if (ratio.kind === "add-column") ratio.params.expression = expression;
  return doc;
}

describe("compiler under fuzzing", () => {
  it("mutated shipped pipelines compile to a script or diagnostics, and every script parses as Python (1500 inputs)", () => {
    const scripts: string[] = [];
    fc.assert(
      fc.property(mutatedDocument(DOCS), fc.nat(), (raw, at) => {
        const parsed = parseDocument(raw);
        if (parsed.doc === null) return;
        const r = compileAll(parsed.doc, at);
        expect(r.problems).toEqual([]);
        scripts.push(...r.scripts);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    expect(scripts.length).toBeGreaterThan(300); // most mutations still compile: the property is not vacuous
    expect(pythonSyntaxErrors(scripts)).toEqual([]);
  });

  it("generated expressions compile to Python that parses (1500 inputs)", () => {
    const scripts: string[] = [];
    fc.assert(
      fc.property(expression, fc.nat(), (text, at) => {
        const r = compileAll(withExpression(text), at);
        expect(r.problems).toEqual([]);
        scripts.push(...r.scripts);
      }),
      { seed: SEED + 1, numRuns: 1500 },
    );
    expect(scripts.length).toBeGreaterThan(300);
    expect(pythonSyntaxErrors(scripts)).toEqual([]);
  });

  it("expressions as deep as the parser allows still compile to Python that parses", () => {
    const d = MAX_EXPR_DEPTH - 1;
    const deep = [
      "total_votes / ".repeat(d) + "2",
      "star_rating - ".repeat(d) + "1",
      "concat(".repeat(d - 1) + "marketplace" + ", 'x')".repeat(d - 1),
      "if(vine, ".repeat(d - 1) + "star_rating" + ", 1)".repeat(d - 1),
      "abs(".repeat(d - 1) + "star_rating" + ")".repeat(d - 1),
      "-(".repeat(d - 1) + "star_rating" + ")".repeat(d - 1),
      "cast(".repeat(d - 1) + "star_rating" + " as float)".repeat(d - 1),
      "round(".repeat(d - 1) + "helpful_votes * 1.5" + ", 1)".repeat(d - 1),
      "coalesce(".repeat(d - 1) + "product_title" + ", 'x')".repeat(d - 1),
      "not ".repeat(d - 1) + "vine",
    ];
    const scripts = deep.map((text) => {
      const out = compile(withExpression(text), contextFor(reviewsPipeline()));
      expect(out.diagnostics, text.slice(0, 60)).toEqual([]);
      return out.python!;
    });
    expect(pythonSyntaxErrors(scripts)).toEqual([]);
  });
});
