// Playwright journeys in Debian's Chromium against the real app process (server/main.ts) with
// its own SQLite database and its own local Ray head, on ports apart from a dev `npm start`.
import path from "node:path";
import { defineConfig } from "@playwright/test";

// package.json says "type": "module", so there is no __dirname here.
const root = import.meta.dirname;

const PORT = Number(process.env.ETL_E2E_PORT ?? 3100);
// Its own database and files per port, so two checkouts' (or two agents') e2e runs never share them.
const dataDir = path.join(root, ".cache", PORT === 3100 ? "e2e-data" : `e2e-data-${PORT}`);
// Relative pipeline paths (data/reviews) resolve here; the reviews dataset is generated once.
const baseDir = path.join(root, ".cache", "e2e-base");
const reviews = path.join(baseDir, "data", "reviews");

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: process.env.ETL_E2E_OUTPUT_DIR ?? "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `node scripts/build-if-needed.mjs && rm -rf ${dataDir} && (test -d ${reviews} || .venv/bin/python scripts/gen_reviews.py --rows 5000 --out ${reviews}) && node --import tsx server/main.ts`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      PORT: String(PORT),
      ETL_DATA_DIR: dataDir,
      ETL_BASE_DIR: baseDir,
      ETL_RAY_GCS_PORT: process.env.ETL_E2E_RAY_GCS_PORT ?? "6395",
      ETL_RAY_DASHBOARD_PORT: process.env.ETL_E2E_RAY_DASHBOARD_PORT ?? "8285",
      ETL_RAY_NUM_CPUS: "2",
      ETL_RAY_OBJECT_STORE_BYTES: "1000000000",
      NEXT_TELEMETRY_DISABLED: "1",
      AWS_EC2_METADATA_DISABLED: "true", // e2e/s3.spec.ts: moto on loopback only
    },
  },
});
