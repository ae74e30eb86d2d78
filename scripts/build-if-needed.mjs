#!/usr/bin/env node
// Builds the web app (next build) when its sources changed since the last build; a no-op
// otherwise. Used by `npm start` and by the e2e suite.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";

function sourcesHash() {
  const h = createHash("sha256");
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith(".test.ts")) {
        const s = statSync(p);
        h.update(`${p}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  for (const d of ["app", "components", "lib", "server"]) if (existsSync(join(root, d))) walk(join(root, d));
  for (const f of ["next.config.ts", "proxy.ts", "package-lock.json", "tsconfig.json"]) h.update(existsSync(join(root, f)) ? readFileSync(join(root, f)) : f);
  return h.digest("hex").slice(0, 16);
}

// next.config.ts reads the same variable: the build output directory (default .next).
const distDir = join(root, process.env.ETL_NEXT_DIST_DIR || ".next");
const stamp = join(distDir, ".etl-build-stamp");

/** One build per output directory at a time: a second caller waits for the first (a lock dir holding the builder's pid). */
function lock() {
  const dir = `${distDir}.build-lock`;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pid"), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch {
      let alive = false;
      try {
        process.kill(Number(readFileSync(join(dir, "pid"), "utf8")), 0);
        alive = true;
      } catch {}
      if (!alive) rmSync(dir, { recursive: true, force: true });
      else spawnSync("sleep", ["1"]);
    }
  }
}

const hash = sourcesHash();
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== hash) {
  const unlock = lock();
  try {
    const now = sourcesHash(); // built by the caller we waited for?
    if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== now) {
      console.log("[start] building the web app (first start or sources changed)…");
      const r = spawnSync("npx", ["next", "build"], { cwd: root, stdio: "inherit" });
      if (r.status !== 0) {
        unlock();
        process.exit(r.status ?? 1);
      }
      writeFileSync(stamp, now);
    }
  } finally {
    unlock();
  }
}
