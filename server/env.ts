// Server configuration from the environment, validated once (create-t3-app style). Defaults are
// the embedded laptop setup: SQLite under data/, a local Ray head the app starts, 127.0.0.1.
import path from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  ETL_ROOT: z.string().default(process.cwd()),
  ETL_DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  /** Jobs API of an existing Ray cluster (http://host:8265). Unset: the app starts a local head. */
  RAY_ADDRESS: z.string().url().optional(),
  ETL_RAY_DASHBOARD_PORT: z.coerce.number().int().default(8265),
  ETL_RAY_GCS_PORT: z.coerce.number().int().default(6380),
  ETL_RAY_NUM_CPUS: z.coerce.number().int().positive().optional(),
  ETL_RAY_OBJECT_STORE_BYTES: z.coerce.number().int().positive().default(2_000_000_000),
  /** Encrypts S3 connection secrets (64 hex chars or base64 of 32 bytes). Unset: data/secret-key, generated once. */
  ETL_SECRET_KEY: z.string().optional(),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().default(3000),
});

export type Env = z.infer<typeof EnvSchema> & { dataDir: string; databaseUrl: string; python: string };

let cached: Env | null = null;

/** The validated environment, e.g. `env().databaseUrl === "file:/repo/data/app.db"`. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.parse(process.env);
  const dataDir = path.resolve(parsed.ETL_ROOT, parsed.ETL_DATA_DIR ?? "data");
  cached = {
    ...parsed,
    dataDir,
    databaseUrl: parsed.DATABASE_URL ?? `file:${path.join(dataDir, "app.db")}`,
    python: process.env.ETL_PYTHON ?? path.join(/* turbopackIgnore: true */ parsed.ETL_ROOT, ".venv", "bin", "python"),
  };
  return cached;
}
