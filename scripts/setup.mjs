#!/usr/bin/env node
// Installs whatever is missing for `npm start` / `npm test`, and nothing else: every step is
// guarded by a stamp (a hash of its inputs), so a second run on an installed machine takes
// seconds. Plain Node, no dependencies: it runs before node_modules exists.
//   node scripts/setup.mjs [app|test|python|node|all]
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = process.argv[2] ?? "all";
const started = Date.now();
const log = (msg) => console.log(`[setup] ${msg}`);

function hashFiles(...files) {
  const h = createHash("sha256");
  for (const f of files) h.update(existsSync(join(root, f)) ? readFileSync(join(root, f)) : `missing:${f}`);
  return h.digest("hex").slice(0, 16);
}
function stamped(stampFile, hash) {
  return existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === hash;
}
function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...opts.env } });
  if (r.status !== 0) {
    console.error(`[setup] failed: ${cmd} ${args.join(" ")} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function nodePackages() {
  const hash = hashFiles("package.json", "package-lock.json");
  const stamp = join(root, "node_modules", ".etl-setup-stamp");
  if (stamped(stamp, hash)) return;
  const hasLock = existsSync(join(root, "package-lock.json"));
  run("npm", [hasLock ? "ci" : "install", "--no-audit", "--no-fund"]);
  writeFileSync(stamp, hashFiles("package.json", "package-lock.json"));
}

function pythonVenv() {
  const hash = hashFiles("runtime/requirements.txt");
  const venv = join(root, ".venv");
  const stamp = join(venv, ".etl-setup-stamp");
  if (stamped(stamp, hash)) return;
  const python = process.env.PYTHON ?? "python3";
  if (!existsSync(join(venv, "bin", "python"))) run(python, ["-m", "venv", venv]);
  run(join(venv, "bin", "python"), ["-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", "runtime/requirements.txt"]);
  writeFileSync(stamp, hash);
}

function prisma() {
  // Generate the client when the schema changed; migrations are applied by the app and the
  // tests themselves (server/db/migrate.ts), from the committed SQL, with no engine at all.
  const hash = hashFiles("prisma/schema.prisma", "package-lock.json", "scripts/prisma-pg.mjs");
  const stamp = join(root, "node_modules", ".etl-prisma-stamp");
  if (stamped(stamp, hash)) return;
  // prisma reads DATABASE_URL even to generate; without it the CLI falls back to the native
  // engine and tries to download it.
  mkdirSync(join(root, "data"), { recursive: true });
  run("npx", ["prisma", "generate"], {
    env: { PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", DATABASE_URL: process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/app.db" },
  });
  // The same schema for PostgreSQL (DATABASE_URL=postgres://...), generated into its own dir.
  run("node", ["scripts/prisma-pg.mjs", "generate"]);
  writeFileSync(stamp, hash);
}

function chromium() {
  if (existsSync("/usr/bin/chromium")) return;
  if (process.getuid?.() !== 0) {
    console.error("[setup] Chromium is missing: run `sudo apt-get install -y chromium` (Debian) and retry.");
    process.exit(1);
  }
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], { env: { DEBIAN_FRONTEND: "noninteractive" } });
}

function postgresql() {
  // `npm test` runs the database tests a second time on a throwaway PostgreSQL (scripts/pg.mjs).
  const base = "/usr/lib/postgresql";
  if (existsSync(base) && readdirSync(base).some((v) => existsSync(join(base, v, "bin", "initdb")))) return;
  if (process.getuid?.() !== 0) {
    console.error("[setup] PostgreSQL is missing: run `sudo apt-get install -y postgresql` (Debian) and retry.");
    process.exit(1);
  }
  run("apt-get", ["update", "-qq"]);
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], { env: { DEBIAN_FRONTEND: "noninteractive" } });
}

function sampleData() {
  const dir = join(root, "data", "reviews");
  if (existsSync(dir) && readdirSync(dir).length > 0) return;
  mkdirSync(join(root, "data"), { recursive: true });
  const rows = process.env.ETL_SAMPLE_ROWS ?? "200000";
  run(join(root, ".venv", "bin", "python"), ["scripts/gen_reviews.py", "--rows", rows, "--out", dir]);
}

const steps = {
  node: [nodePackages, prisma],
  python: [pythonVenv],
  app: [nodePackages, pythonVenv, prisma, sampleData],
  test: [nodePackages, pythonVenv, prisma, chromium, postgresql],
  all: [nodePackages, pythonVenv, prisma, chromium, postgresql, sampleData],
};
if (!steps[target]) {
  console.error(`usage: node scripts/setup.mjs [${Object.keys(steps).join("|")}]`);
  process.exit(2);
}
for (const step of steps[target]) step();
log(`ready (${target}) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
