// Builds the run monitor from the environment (the app process and monitor-main.ts use it).
import { db } from "../db";
import { env } from "../env";
import { rayClient } from "../runner/ray-service";
import { baseDir } from "../services/pipeline-context";
import { runConfig } from "./config";
import { RunMonitor } from "./monitor";

/** Starts following runs on the configured Ray; resolves after the first pass (re-attach). */
export async function startRunMonitor(log?: (m: string) => void): Promise<RunMonitor> {
  const config = runConfig();
  const monitor = new RunMonitor({
    db: db(),
    client: rayClient(config.ETL_RAY_REQUEST_TIMEOUT_MS),
    root: env().ETL_ROOT,
    baseDir: baseDir(),
    config,
    log,
  });
  await monitor.start();
  return monitor;
}
