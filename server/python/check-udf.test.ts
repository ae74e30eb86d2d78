// checkPythonSources against the real venv Python.
import { chmodSync, existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkPythonSources } from "./check-udf";
import { pythonBin } from "./venv";

const VALID = "import pandas as pd\n\ndef keep(batch: pd.DataFrame):\n    return batch['total_votes'] > 0\n";

describe("checkPythonSources", () => {
  const saved = process.env.ETL_PYTHON;
  afterEach(() => {
    if (saved === undefined) delete process.env.ETL_PYTHON;
    else process.env.ETL_PYTHON = saved;
  });

  it("accepts valid code and pins a syntax error to its line", async () => {
    const r = await checkPythonSources({
      good: VALID,
      bad: "def keep(batch):\n    x = 1\n    return batch[batch.total_votes >> ]\n",
    });
    expect(r.good).toMatchObject({ ok: true });
    expect(r.bad).toMatchObject({ ok: false, line: 3 });
    expect(r.bad.ok === false && r.bad.message).toMatch(/invalid syntax/);
  });

  it("reports indentation errors and compile-time errors like 'return' outside a function", async () => {
    const r = await checkPythonSources({
      indent: "def keep(batch):\nreturn batch\n",
      unexpected: "x = 1\n    y = 2\n",
      ret: "x = 1\nreturn x\n",
      unicode: "def keep(b):\n    return b['prix_€'] > 0\n",
    });
    expect(r.indent).toMatchObject({ ok: false, line: 2, message: expect.stringMatching(/expected an indented block/) });
    expect(r.unexpected).toMatchObject({ ok: false, line: 2, message: "unexpected indent" });
    expect(r.ret).toMatchObject({ ok: false, line: 2, message: "'return' outside function" });
    expect(r.unicode).toEqual({ ok: true, reads: ['prix_€'] });
  });

  it("lists the batch columns a UDF provably reads, or null when it uses the batch otherwise", async () => {
    const r = await checkPythonSources({
      subscripts: 'def keep(batch):\n    return (batch["total_votes"] > 0) & (batch["marketplace"] == "US")\n',
      list: 'def compute(b):\n    return b[["a", "b"]].sum(axis=1) / len(b)\n',
      positional: "def keep(b):\n    return b.iloc[:, 0] > 0\n",
      variable: 'def keep(b):\n    c = "x"\n    return b[c] > 0\n',
      passedOn: "def keep(b):\n    return helper(b)\n",
      attribute: "def keep(b):\n    return b.total_votes > 0\n",
    });
    expect(r.subscripts).toEqual({ ok: true, reads: ["marketplace", "total_votes"] });
    expect(r.list).toEqual({ ok: true, reads: ["a", "b"] });
    for (const k of ["positional", "variable", "passedOn", "attribute"]) expect(r[k], k).toEqual({ ok: true, reads: null });
  });

  it("treats empty input as nothing to do and an empty source as valid", async () => {
    expect(await checkPythonSources({})).toEqual({});
    expect(await checkPythonSources({ n1: "" })).toEqual({ n1: { ok: true, reads: null } });
  });

  it("uses one Python process per call and never runs the code", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "etl-py-"));
    try {
      const log = path.join(dir, "calls.log");
      const marker = path.join(dir, "executed");
      const wrapper = path.join(dir, "python");
      writeFileSync(wrapper, `#!/bin/sh\necho call >> '${log}'\nexec '${pythonBin()}' "$@"\n`);
      chmodSync(wrapper, 0o755);
      process.env.ETL_PYTHON = wrapper;
      const sources: Record<string, string> = {};
      for (let i = 0; i < 5; i++) sources[`n${i}`] = `open(${JSON.stringify(marker)}, "w").write("ran")\n`;
      const r = await checkPythonSources(sources);
      expect(Object.values(r)).toEqual(Array(5).fill({ ok: true, reads: null }));
      expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fails loudly when Python cannot be started", async () => {
    process.env.ETL_PYTHON = "/nonexistent/python";
    await expect(checkPythonSources({ a: "x = 1" })).rejects.toThrow(/Cannot start Python/);
  });
});
