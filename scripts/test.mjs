#!/usr/bin/env node
// `npm test`, after setup: every suite in turn, stopping at the first failure —
// types, unit (Vitest: pipeline, compiler goldens, routers on a real SQLite), Python unit
// (pytest), integration on a real local Ray (pytest driving the etl CLI), Playwright e2e
// in Debian's Chromium against the real server. `npm test -- unit py` runs only some.
// unit-pg: the database-backed Vitest tests (routers, runs, scheduler) again on a throwaway
// PostgreSQL started on loopback for the suite and stopped after it (scripts/pg.mjs).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres, stopPostgres } from "./pg.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const py = join(root, ".venv", "bin", "python");
// AWS_EC2_METADATA_DISABLED: S3 tests talk to moto on loopback only; no SDK may probe the
// instance-metadata address for credentials or a region.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", PYTHONDONTWRITEBYTECODE: "1", AWS_EC2_METADATA_DISABLED: "true" };

const suites = {
  types: ["npx", ["tsc", "--noEmit"]],
  unit: ["npx", ["vitest", "run"]],
  "unit-pg": ["npx", ["vitest", "run", "--config", "vitest.pg.config.ts"], { postgres: true }],
  py: [py, ["-m", "pytest", "-q", "runtime/tests/unit", "scripts/tests"]],
  integration: [py, ["-m", "pytest", "-q", "-x", "runtime/tests/integration"]],
  e2e: ["npx", ["playwright", "test"]],
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(suites);
const results = [];
for (const name of wanted) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown suite ${name}; one of ${Object.keys(suites).join(", ")}`);
    process.exit(2);
  }
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${suite[0].replace(root + "/", "")} ${suite[1].join(" ")}`);
  let pg = null;
  if (suite[2]?.postgres) pg = await startPostgres();
  let r;
  try {
    r = spawnSync(suite[0], suite[1], { cwd: root, stdio: "inherit", env: pg ? { ...env, ETL_TEST_PG_URL: pg.url } : env });
  } finally {
    if (pg) stopPostgres(pg.dir);
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  results.push(`${name} ${r.status === 0 ? "passed" : "FAILED"} (${secs}s)`);
  if (r.status !== 0) {
    console.error(`\n${results.join("\n")}`);
    process.exit(r.status ?? 1);
  }
}
console.log(`\n${results.join("\n")}`);
