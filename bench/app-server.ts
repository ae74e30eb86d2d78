// Starts the real app (server/main.ts, after a build if sources changed) on its own port and
// data folder for a benchmark section, and stops it after. No Ray head, run monitor, scheduler
// or preview worker: the canvas needs none of them.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** e.g. `await withApp(3300, (url) => canvasBench(url))` */
export async function withApp(port: number, body: (url: string) => Promise<void>): Promise<void> {
  const built = spawnSync("node", ["scripts/build-if-needed.mjs"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) throw new Error("next build failed");
  const dataDir = path.join(root, ".cache", "bench", `app-${port}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const app = spawn("node", ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env, PORT: String(port), ETL_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1",
      RAY_ADDRESS: "http://127.0.0.1:9", ETL_RUN_MONITOR: "0", ETL_SCHEDULER: "0", ETL_PREVIEW_WORKER: "0",
    },
  });
  let log = "";
  app.stdout.on("data", (d) => { log += d; });
  app.stderr.on("data", (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (app.exitCode !== null) throw new Error(`the app exited (${app.exitCode}):\n${log}`);
      if (await fetch(`${url}/api/health`).then(() => true, () => false)) break;
      if (Date.now() > deadline) throw new Error(`the app did not answer within 120 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await body(url);
  } finally {
    app.kill("SIGTERM");
    await new Promise((r) => (app.exitCode !== null ? r(null) : app.once("exit", r)));
  }
}
