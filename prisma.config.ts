// Prisma CLI configuration for creating new migrations offline (notes/prisma-offline.md, path A):
// the WebAssembly schema engine through the better-sqlite3 driver adapter, no native binaries.
// Applying migrations does not use this: server/db/migrate.ts replays the committed SQL.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

const url = process.env.DATABASE_URL ?? "file:./data/dev-migrations.db";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
