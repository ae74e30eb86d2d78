// The database-backed Vitest tests (routers, runs, scheduler) again on PostgreSQL, plus the
// PostgreSQL-only checks (*.pg.test.ts). Needs ETL_TEST_PG_URL: `npm test -- unit-pg` starts a
// throwaway cluster on loopback (scripts/pg.mjs) and stops it afterwards.
import path from "node:path";
import { defineConfig } from "vitest/config";

if (!process.env.ETL_TEST_PG_URL) throw new Error("vitest.pg.config.ts needs ETL_TEST_PG_URL (run `npm test -- unit-pg`)");

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["server/api/routers/*.test.ts", "server/runs/*.test.ts", "server/scheduler/*.test.ts", "server/db/*.pg.test.ts"],
    // the preview router test is about the preview worker (a local Ray), not the database
    exclude: ["**/node_modules/**", "**/*.int.test.ts", "server/api/routers/preview.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    pool: "forks",
  },
});
