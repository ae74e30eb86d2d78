// Test support for storage tests: run the venv's Python (pyarrow) as an independent oracle and
// generate sample datasets with scripts/gen_reviews.py.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pythonBin } from "../python/venv";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs Python code (argv passed as sys.argv[1:]) and parses its stdout as JSON. */
export function pyJson<T = unknown>(code: string, ...args: string[]): T {
  const out = execFileSync(pythonBin(), ["-c", code, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  return JSON.parse(out) as T;
}

/** Writes the synthetic reviews dataset to `out`. */
export function genReviews(out: string, rows: number, ...extra: string[]): void {
  execFileSync(pythonBin(), [path.join(REPO_ROOT, "scripts/gen_reviews.py"), "--rows", String(rows), "--out", out, ...extra], {
    stdio: "pipe",
  });
}

/** A fresh temp dir and its cleanup. */
export function tempDir(prefix = "etl-storage-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
