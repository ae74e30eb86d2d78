import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["server/**/*.test.ts", "components/**/*.test.{ts,tsx}", "lib/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/*.int.test.ts", "**/*.pg.test.ts"], // *.pg.test.ts: vitest.pg.config.ts
    environment: "node",
    testTimeout: 30_000,
    pool: "forks",
  },
});
