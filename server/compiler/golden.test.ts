// Golden tests: every golden/<name>/pipeline.json compiles to exactly golden/<name>/expected.py.
// UPDATE_GOLDEN=1 rewrites expected.py instead, so a human reviews the diff in git.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../pipeline";
import type { PipelineDocument } from "../pipeline/schema";
import type { SourceLookup } from "../pipeline/types";
import { reviewsSource } from "../pipeline/test-fixtures";
import { checkPythonSources } from "../python/check-udf";
import { compile, type CompileContext } from "./index";

const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), "golden");
const PYTHON = path.join(path.dirname(new URL(import.meta.url).pathname), "../../.venv/bin/python");
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const cases = fs.readdirSync(GOLDEN).filter((d) => fs.existsSync(path.join(GOLDEN, d, "pipeline.json"))).sort();

/**
 * Every read is the reviews dataset at its own path; every UDF goes through the server's real
 * Python check (as in the app and the CLI), which also reports the columns a filter reads.
 * A golden may pin the header version in a sibling context.json.
 */
async function goldenContext(doc: PipelineDocument, version?: number): Promise<CompileContext> {
  const sources: Record<string, SourceLookup> = {};
  const udfs: Record<string, string> = {};
  for (const n of doc.nodes) {
    if (n.kind === "read-parquet") sources[n.id] = reviewsSource(n.params.path);
    if (n.kind === "udf-filter" || (n.kind === "add-column" && n.params.mode === "python")) udfs[n.id] = n.params.source;
  }
  const python = await checkPythonSources(udfs);
  return { sources, python, header: version === undefined ? undefined : { version } };
}

async function compileGolden(name: string) {
  const dir = path.join(GOLDEN, name);
  const parsed = parseDocument(fs.readFileSync(path.join(dir, "pipeline.json"), "utf8"));
  expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const ctxFile = path.join(dir, "context.json");
  const version = fs.existsSync(ctxFile) ? (JSON.parse(fs.readFileSync(ctxFile, "utf8")) as { version?: number }).version : undefined;
  return compile(parsed.doc!, await goldenContext(parsed.doc!, version));
}

describe("golden scripts", () => {
  it("has at least ten cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)("%s", async (name) => {
    const out = await compileGolden(name);
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const expectedFile = path.join(GOLDEN, name, "expected.py");
    if (UPDATE) fs.writeFileSync(expectedFile, out.python!);
    expect(out.python).toBe(fs.readFileSync(expectedFile, "utf8"));

    // Each node's source-map range starts at its `# [id]` comment and ends before the next block.
    const lines = out.python!.split("\n");
    for (const [id, [start, end]] of Object.entries(out.sourceMap)) {
      expect(lines[start - 1].trimStart().startsWith(`# [${id}] `), `${name}: ${id}`).toBe(true);
      expect(end).toBeGreaterThanOrEqual(start);
      expect(lines[end]?.trimStart().startsWith("# [") || lines[end] === "", `${name}: after ${id}`).toBe(true);
    }
  });

  it("compiles deterministically", async () => {
    for (const name of cases) {
      const [a, b] = [await compileGolden(name), await compileGolden(name)];
      expect(a.python).toBeTruthy();
      expect(a.python).toBe(b.python);
    }
  });

  it("every expected.py is valid Python", () => {
    const files = cases.map((c) => path.join(GOLDEN, c, "expected.py"));
    // py_compile writes nothing next to the goldens when PYTHONPYCACHEPREFIX points elsewhere.
    const r = spawnSync(PYTHON, ["-m", "py_compile", ...files], {
      encoding: "utf8",
      env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(process.env.TMPDIR ?? "/tmp", "etl-golden-pycache") },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
