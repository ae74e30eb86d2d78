// Run settings from the environment, validated once: the concurrency limit, how often the
// monitor polls Ray, and how long Ray may be out of reach before a running run fails.
import { z } from "zod";

const RunConfigSchema = z.object({
  /** Runs beyond this many submitted/running ones wait in the queue. */
  ETL_MAX_CONCURRENT_RUNS: z.coerce.number().int().positive().default(2),
  /** How often the monitor polls Ray for job status and log (ms). */
  ETL_RUN_POLL_MS: z.coerce.number().int().positive().default(250),
  /** A run whose Ray cannot be reached for this long fails with RAY_LOST (ms). */
  ETL_RAY_LOST_AFTER_MS: z.coerce.number().int().positive().default(15_000),
  /** Timeout of each Jobs API request the monitor makes (ms). */
  ETL_RAY_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** "0": this process does not follow runs (another process runs the monitor). */
  ETL_RUN_MONITOR: z.enum(["0", "1"]).default("1"),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** e.g. runConfig().ETL_MAX_CONCURRENT_RUNS === 2 */
export function runConfig(source: NodeJS.ProcessEnv = process.env): RunConfig {
  return RunConfigSchema.parse(source);
}
