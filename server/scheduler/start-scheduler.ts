// Starts the scheduler in the app process (server/main.ts), unless ETL_SCHEDULER=0.
import { db } from "../db";
import { schedulerConfig } from "./config";
import { Scheduler } from "./scheduler";

/** The running scheduler, or null when this process does not fire schedules. */
export function startScheduler(log?: (m: string) => void): Scheduler | null {
  const config = schedulerConfig();
  if (config.ETL_SCHEDULER === "0") return null;
  const scheduler = new Scheduler({ db: db(), lateAfterMs: config.ETL_SCHEDULE_LATE_MS, log });
  scheduler.start(config.ETL_SCHEDULER_TICK_MS);
  return scheduler;
}
