// Scheduler settings from the environment, validated once.
import { z } from "zod";

const SchedulerConfigSchema = z.object({
  /** "0": this process does not fire schedules (another app process on the database does). */
  ETL_SCHEDULER: z.enum(["0", "1"]).default("1"),
  /** How often the scheduler looks for due slots (ms). */
  ETL_SCHEDULER_TICK_MS: z.coerce.number().int().positive().default(5_000),
  /** A slot fired more than this long after its time is recorded as late (ms). */
  ETL_SCHEDULE_LATE_MS: z.coerce.number().int().positive().default(60_000),
});
export type SchedulerConfig = z.infer<typeof SchedulerConfigSchema>;

/** e.g. schedulerConfig().ETL_SCHEDULER_TICK_MS === 5000 */
export function schedulerConfig(source: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  return SchedulerConfigSchema.parse(source);
}
