// The Prisma client over the better-sqlite3 driver adapter (no native Prisma engine). The
// database is migrated from the committed SQL before the first query.
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { migrateSqlite, sqlitePath } from "./db/migrate";
import { env } from "./env";

export type Db = PrismaClient;

/** Opens (and migrates) the database at `url`, e.g. `createDb("file:/tmp/test.db")`. */
export function createDb(url: string, root = env().ETL_ROOT): Db {
  if (!url.startsWith("file:")) throw new Error(`Unsupported DATABASE_URL (only SQLite file: URLs for now): ${url.split(":")[0]}:...`);
  const file = sqlitePath(url, root);
  migrateSqlite(file, path.join(root, "prisma", "migrations"));
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
}

const globalForDb = globalThis as unknown as { etlDb?: Db };

/** The app's shared client (one per process, survives Next's dev reloads). */
export function db(): Db {
  globalForDb.etlDb ??= createDb(env().databaseUrl);
  return globalForDb.etlDb;
}
