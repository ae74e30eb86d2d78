// The Prisma client over a driver adapter (no native Prisma engine): better-sqlite3 for
// `file:` URLs (the embedded default), pg for `postgres://` URLs (shared deployments), through
// a second client generated for PostgreSQL (scripts/prisma-pg.mjs). Either database is migrated
// from its committed SQL before the first query.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { SQLITE_BUSY_TIMEOUT_MS } from "./db/busy";
import { migrateSqlite, sqlitePath } from "./db/migrate";
import { env } from "./env";

export type Db = PrismaClient;
export type Dialect = "sqlite" | "postgresql";

const dialects = new WeakMap<object, Dialect>();
/** Which database a client talks to (raw SQL differs: placeholders, timestamps, locking). */
export const dialectOf = (db: Db): Dialect => dialects.get(db) ?? "sqlite";

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

/**
 * Tests only: with ETL_TEST_PG_URL set, a `file:` URL a test asks for becomes a PostgreSQL
 * database of that server named after the file (one per file, so two processes opening one
 * file share one database, as with SQLite). `npm test` runs the database tests this way too.
 */
export function effectiveUrl(url: string): string {
  const pg = process.env.ETL_TEST_PG_URL;
  if (!pg || !url.startsWith("file:")) return url;
  const u = new URL(pg);
  u.pathname = `/t_${createHash("sha256").update(url).digest("hex").slice(0, 20)}`;
  return u.toString();
}

function openPostgres(url: string, root: string): Db {
  // Loaded at run time, from the generated PostgreSQL client and pg, so SQLite installs and the
  // web bundle never load them.
  const req = createRequire(path.join(/* turbopackIgnore: true */ root, "package.json"));
  const { PrismaClient: PgClient } = req(path.join(/* turbopackIgnore: true */ root, "node_modules", ".prisma-pg", "client")) as { PrismaClient: new (o: object) => unknown };
  const { PrismaPg } = req("@prisma/adapter-pg") as { PrismaPg: new (c: object) => object };
  const client = new PgClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) as Db;
  dialects.set(client, "postgresql");
  return client;
}

/** Opens a client WITHOUT migrating (a second connection, as another process would have). */
export function openDb(url: string, root = env().ETL_ROOT): Db {
  const u = effectiveUrl(url);
  if (isPostgresUrl(u)) return openPostgres(u, root);
  if (!u.startsWith("file:")) throw new Error(`Unsupported DATABASE_URL (file: for SQLite, postgres:// for PostgreSQL): ${u.split(":")[0]}:...`);
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${sqlitePath(u, root)}`, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
}

/** Opens (and migrates) the database at `url`, e.g. `createDb("file:/tmp/test.db")` or `createDb("postgres://app@db/etl")`. */
export function createDb(url: string, root = env().ETL_ROOT): Db {
  const u = effectiveUrl(url);
  if (isPostgresUrl(u)) {
    // Synchronously, in a child process: callers expect a ready client, and pg is async.
    // The URL (it may hold a password) goes by environment, not argv: argv shows up in `ps` and errors.
    execFileSync(process.execPath, [path.join(/* turbopackIgnore: true */ root, "server", "db", "migrate-postgres.mjs"), path.join(/* turbopackIgnore: true */ root, "prisma", "migrations-postgresql")], {
      stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ETL_MIGRATE_URL: u },
    });
    return openPostgres(u, root);
  }
  if (!u.startsWith("file:")) throw new Error(`Unsupported DATABASE_URL (file: for SQLite, postgres:// for PostgreSQL): ${u.split(":")[0]}:...`);
  const file = sqlitePath(u, root);
  migrateSqlite(file, path.join(root, "prisma", "migrations"));
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
}

const globalForDb = globalThis as unknown as { etlDb?: Db };

/** The app's shared client (one per process, survives Next's dev reloads). */
export function db(): Db {
  globalForDb.etlDb ??= createDb(env().databaseUrl);
  return globalForDb.etlDb;
}
