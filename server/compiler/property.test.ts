// Property: whatever text users put in names, paths, literals, labels and UDF source, the
// script parses as Python, contains no injected statements, and every value round-trips
// exactly. All generated scripts are checked by ONE Python process (fast).
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quoteColumn, quoteString } from "../pipeline/expr";
import { PipelineDocumentSchema, type PipelineDocument } from "../pipeline/schema";
import { reviewsSource } from "../pipeline/test-fixtures";
import { compile } from "./index";

const PYTHON = new URL("../../.venv/bin/python", import.meta.url).pathname;

const tricky = fc.oneof(
  fc.constantFrom(
    '"', "'", '"""', "'''", "\\", "\\n", "\\x00", "\n", "\r", "\r\n", "\0", "\u2028", "\u2029", "\x85", "\x7f", "\x1b",
    "\ud800", "\udfff", "🎉", "👩‍💻", "é", "e\u0301", "\u202e", "\ufeff", "\t", "{x}", "%s", "#", "`", ")", "]]", " ",
  ),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
);
const text = fc.array(tricky, { minLength: 0, maxLength: 6 }).map((parts) => parts.join(""));

interface Values {
  id: string; name: string; labels: string[]; readPath: string; writePath: string;
  c1: string; c2: string; c3: string; s: string[]; keep: string; compute: string; actors: boolean;
  format: "parquet" | "csv" | "json"; mode: "error" | "overwrite" | "append";
}

const values: fc.Arbitrary<Values> = fc.record({
  id: text, name: text, labels: fc.array(text, { minLength: 7, maxLength: 7 }),
  readPath: text.map((t) => "data/" + t), writePath: text.map((t) => "out/" + t),
  c1: text.map((t) => "new " + t), c2: text.map((t) => "py " + t), c3: text.map((t) => "if " + t),
  s: fc.array(text, { minLength: 4, maxLength: 4 }),
  keep: text.map((t) => "def keep(batch):\n    return batch\n" + t), compute: text.map((t) => "def compute(batch):\n    return batch.iloc[:, 0]\n# " + t),
  actors: fc.boolean(), format: fc.constantFrom("parquet", "csv", "json"), mode: fc.constantFrom("error", "overwrite", "append"),
});

/** read -> e1 -> e2 -> sort -> keep -> py -> drop -> out, every user-visible text taken from `v`. */
function pipelineOf(v: Values): PipelineDocument {
  const compute = v.actors ? { strategy: "actors", minSize: 1, maxSize: 3 } : { strategy: "tasks" };
  const nodes = [
    { id: "read", kind: "read-parquet", params: { path: v.readPath } },
    { id: "e1", kind: "add-column", params: { column: v.c1, expression: `concat(marketplace, ${quoteString(v.s[0])})` } },
    { id: "e2", kind: "add-column", params: { column: v.c3, expression: `if(${quoteColumn(v.c1)} = ${quoteString(v.s[1])}, ${quoteString(v.s[2])}, ${quoteString(v.s[3])})` } },
    { id: "sort", kind: "sort", params: { keys: [{ column: v.c1, descending: true }, { column: v.c3 }] } },
    { id: "keep", kind: "udf-filter", params: { source: v.keep, compute } },
    { id: "py", kind: "add-column", params: { column: v.c2, mode: "python", source: v.compute, outputType: "string", compute } },
    { id: "drop", kind: "drop-columns", params: { columns: [v.c1] } },
    { id: "out", kind: "write", params: { path: v.writePath, format: v.format, mode: v.mode } },
  ].map((n, i) => ({ ...n, name: v.labels[i] }));
  const ids = nodes.map((n) => n.id);
  return PipelineDocumentSchema.parse({
    schemaVersion: 1, id: v.id, name: v.name, nodes,
    edges: ids.slice(1).map((target, i) => ({ source: ids[i], target })),
  });
}

const EXTRACT = String.raw`
import ast, json, sys
lit = ast.literal_eval
out = []
for src in json.load(sys.stdin):
    try:
        tree = ast.parse(src)
    except SyntaxError as e:
        out.append({"error": "%s at line %s" % (e.msg, e.lineno)})
        continue
    r = {"col": [], "lit": [], "path": [], "with_column": [], "drop": [], "sort": [], "py_column": [], "sources": {},
         "labels": None, "pipeline_id": None, "node": [], "top": [type(s).__name__ for s in tree.body]}
    # ast.walk is breadth-first: sort by position so values come back in source order.
    nodes = sorted((n for n in ast.walk(tree) if hasattr(n, "lineno")), key=lambda n: (n.lineno, n.col_offset))
    for n in nodes:
        if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name) and n.targets[0].id.endswith("_SOURCE"):
            r["sources"][n.targets[0].id] = lit(n.value)
        if not isinstance(n, ast.Call):
            continue
        f = n.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
        kw = {k.arg: k.value for k in n.keywords}
        if name in ("col", "lit", "path"): r[name].append(lit(n.args[0]))
        elif name == "with_column": r["with_column"].append(lit(n.args[0]))
        elif name == "drop_columns": r["drop"].extend(lit(n.args[0]))
        elif name == "sort": r["sort"].extend(lit(n.args[0]))
        elif name == "add_column_python": r["py_column"].append(lit(n.args[1]))
        elif name == "write": r["node"].append(lit(kw["node"]))
        elif name == "Plan":
            r["labels"] = lit(kw["labels"])
            r["pipeline_id"] = lit(kw["pipeline_id"])
    build = [s for s in tree.body if isinstance(s, ast.FunctionDef)][0]
    r["build"] = [type(s).__name__ for s in build.body]
    out.append(r)
sys.stdout.write(json.dumps(out))
`;

function extract(programs: readonly string[]): Record<string, unknown>[] {
  const r = spawnSync(PYTHON, ["-c", EXTRACT], { input: JSON.stringify(programs), encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

describe("generated Python under hostile text", () => {
  it("parses, has no injected code, and round-trips every value (300 pipelines)", () => {
    const samples = fc.sample(values, { numRuns: 300, seed: 20261125 });
    const compiled = samples.map((v) => {
      const doc = pipelineOf(v);
      const sources = { read: reviewsSource(v.readPath) };
      const python = { keep: { ok: true as const }, py: { ok: true as const } };
      return { v, out: compile(doc, { sources, python }) };
    });
    const ok = compiled.filter((c) => c.out.python !== null);
    // Analysis may legitimately refuse some names; the property is vacuous if it refuses most.
    const refused = compiled.find((c) => c.out.python === null);
    expect(ok.length, `refused e.g. ${JSON.stringify(refused?.out.diagnostics)}`).toBeGreaterThan(270);

    const results = extract(ok.map((c) => c.out.python!));
    ok.forEach(({ v, out }, i) => {
      const r = results[i];
      const ctx = JSON.stringify(v);
      expect(r.error, ctx).toBeUndefined();
      expect(out.python, ctx).not.toMatch(/[\r\0\u0085\u2028\u2029\u202e\ud800-\udfff]/u);
      expect(r.top, ctx).toEqual([
        "Import", ...(v.actors ? ["ImportFrom"] : []), "ImportFrom", "ImportFrom", "Import", "ImportFrom",
        "Expr", "Assign", "Assign", "Assign", "FunctionDef", "If",
      ]);
      expect(r.build, ctx).toEqual([...Array(7).fill("Assign"), "Expr"]);
      expect(r.pipeline_id, ctx).toBe(v.id);
      expect(r.labels, ctx).toEqual(Object.fromEntries(["read", "e1", "e2", "sort", "keep", "py", "drop", "out"].map((id, k) => [id, v.labels[k]])));
      expect(r.path, ctx).toEqual([v.readPath, v.writePath]);
      expect(r.col, ctx).toEqual(["marketplace", v.c1]);
      expect(r.lit, ctx).toEqual([v.s[0], v.s[1], v.s[2], v.s[3]]);
      expect(r.with_column, ctx).toEqual([v.c1, v.c3]);
      expect(r.sort, ctx).toEqual([v.c1, v.c3]);
      expect(r.drop, ctx).toEqual([v.c1]);
      expect(r.py_column, ctx).toEqual([v.c2]);
      expect(r.node, ctx).toEqual(["out"]);
      expect(r.sources, ctx).toEqual({ KEEP_SOURCE: v.keep, PY_SOURCE: v.compute });
    });
  });
});
