// The run monitor as a process of its own: `npx tsx server/runs/monitor-main.ts`. The app
// process runs the same monitor in-process; run it apart when web processes are started with
// ETL_RUN_MONITOR=0 (e.g. several stateless web processes and one follower). Needs Ray to be
// reachable at RAY_ADDRESS (or the local head's port); it never starts Ray itself.
import { db } from "../db";
import { rayAddress } from "../runner/ray-service";
import { startRunMonitor } from "./start-monitor";

const log = (m: string) => console.log(`[runs] ${m}`);

async function main() {
  process.env.ETL_BASE_DIR ??= process.env.ETL_ROOT ?? process.cwd();
  db(); // migrate first
  const monitor = await startRunMonitor(log);
  log(`following runs on ${rayAddress()} (pid ${process.pid})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await monitor.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`[runs] failed to start: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
