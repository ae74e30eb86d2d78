// The app's process: migrates the database, starts and supervises the embedded Ray head (unless
// RAY_ADDRESS points at a cluster), serves the Next.js app on 127.0.0.1 (other addresses only with sign-in on), and on exit stops
// what it started. `npm start` runs this after setup.
import http from "node:http";
import path from "node:path";
import next from "next";
import { bindRefusal, signInEnabled } from "./auth/settings";
import { db } from "./db";
import { env } from "./env";
import { rateRules } from "./api/rate-limit";
import type { LocalRay } from "./runner/local-ray";
import { localRayFromEnv, rayClient } from "./runner/ray-service";
import { runConfig } from "./runs/config";
import type { RunMonitor } from "./runs/monitor";
import { startRunMonitor } from "./runs/start-monitor";
import { startScheduler } from "./scheduler/start-scheduler";
import { startWebhooks } from "./webhooks/start-webhooks";
import { previewService, startPreviewWorker } from "./preview";

const log = (m: string) => console.log(`[app] ${m}`);

async function main() {
  const e = env();
  process.env.ETL_BASE_DIR ??= e.ETL_ROOT;
  rateRules(); // a malformed ETL_PREVIEW_RATE_LIMIT / ETL_RUN_RATE_LIMIT stops startup with its name and the format
  db(); // migrate before serving
  // Pipelines run arbitrary Python on the cluster: never expose an app without sign-in.
  const refused = bindRefusal(e.HOST, await signInEnabled(db()));
  if (refused) throw new Error(refused);
  let ray: LocalRay | null = null;
  if (e.RAY_ADDRESS) {
    log(`using Ray at ${e.RAY_ADDRESS}`);
  } else if (await rayClient(1_000).isUp()) {
    log(`a local Ray head is already running on port ${e.ETL_RAY_DASHBOARD_PORT}; using it`);
  } else {
    ray = localRayFromEnv(log);
    await ray.start();
  }
  // Follows runs (re-attaching to jobs still running after a restart) and submits queued ones.
  const monitor: RunMonitor | null = runConfig().ETL_RUN_MONITOR === "1" ? await startRunMonitor((m) => log(`runs: ${m}`)) : null;
  // Fires due schedule slots (exactly once across app processes: a claim in the database); ETL_SCHEDULER=0 turns it off.
  const scheduler = startScheduler((m) => log(`scheduler: ${m}`));
  // Calls pipelines' webhooks for ended runs, with retries (ETL_WEBHOOKS=0 turns it off).
  const webhooks = startWebhooks((m) => log(`webhooks: ${m}`));
  // The preview worker starts its own local Ray and warms up while Next prepares (ETL_PREVIEW_WORKER=0: on first use).
  if (process.env.ETL_PREVIEW_WORKER !== "0") startPreviewWorker();

  const app = next({ dev: false, dir: e.ETL_ROOT, hostname: e.HOST, port: e.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(e.PORT, e.HOST, resolve);
  });
  log(`ready on http://${e.HOST}:${e.PORT} (data in ${path.relative(e.ETL_ROOT, e.dataDir) || "."})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    server.close();
    await scheduler?.stop();
    await webhooks?.stop();
    await monitor?.stop();
    await previewService().worker.stop();
    await ray?.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`[app] failed to start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
