import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pythonBin } from "./venv";

describe("pythonBin", () => {
  const saved = process.env.ETL_PYTHON;
  afterEach(() => {
    if (saved === undefined) delete process.env.ETL_PYTHON;
    else process.env.ETL_PYTHON = saved;
  });

  it("finds the repo's .venv python as an absolute path", () => {
    delete process.env.ETL_PYTHON;
    const bin = pythonBin();
    expect(path.isAbsolute(bin)).toBe(true);
    expect(bin.endsWith(path.join(".venv", "bin", "python"))).toBe(true);
    expect(existsSync(bin)).toBe(true);
  });

  it("lets ETL_PYTHON override, resolved to an absolute path", () => {
    process.env.ETL_PYTHON = "tools/python3";
    expect(pythonBin()).toBe(path.resolve("tools/python3"));
  });
});
