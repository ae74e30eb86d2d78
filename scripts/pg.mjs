#!/usr/bin/env node
// A throwaway PostgreSQL cluster on loopback for tests: initdb into a temp dir, pg_ctl start on
// a free port of 127.0.0.1 (trust auth, superuser "etl"), stop and delete afterwards. Root
// cannot run postgres, so as root the cluster belongs to the `postgres` user (runuser).
//   node scripts/pg.mjs start   -> prints {"url","dir"}      node scripts/pg.mjs stop DIR
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The newest installed PostgreSQL's bin dir, e.g. /usr/lib/postgresql/15/bin; null if none. */
export function pgBin() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], "bin") : null;
}

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.once("error", reject);
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

function asOwner(cmd, args) {
  const root = process.getuid?.() === 0;
  return root ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" }) : execFileSync(cmd, args, { stdio: "pipe" });
}

/** Starts a cluster; resolves to { url: "postgres://etl@127.0.0.1:PORT/postgres", dir }. */
export async function startPostgres() {
  const bin = pgBin();
  if (!bin) throw new Error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `node scripts/setup.mjs test`");
  const dir = mkdtempSync(join(tmpdir(), "etl-pg-"));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  asOwner(join(bin, "initdb"), ["-D", data, "--username=etl", "--auth=trust", "--encoding=UTF8", "--no-locale"]);
  const port = await freePort();
  asOwner(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "start",
    "-o", `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`]);
  return { url: `postgres://etl@127.0.0.1:${port}/postgres`, dir };
}

/** Stops the cluster started in `dir` (fast shutdown) and deletes it. */
export function stopPostgres(dir) {
  const bin = pgBin();
  try {
    if (bin && existsSync(join(dir, "data", "postmaster.pid"))) asOwner(join(bin, "pg_ctl"), ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, arg] = process.argv.slice(2);
  if (cmd === "start") console.log(JSON.stringify(await startPostgres()));
  else if (cmd === "stop" && arg) stopPostgres(arg);
  else {
    console.error("usage: node scripts/pg.mjs start | stop DIR");
    process.exit(2);
  }
}
