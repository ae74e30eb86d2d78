#!/usr/bin/env node
// Applies the committed PostgreSQL migrations (prisma/migrations-postgresql/*/migration.sql) in
// order, each in a transaction, recorded in Prisma's `_prisma_migrations` ledger — the same
// contract as migrate.ts for SQLite, with no engine. An advisory lock serialises app processes
// starting together. Plain JS so that server/db.ts can run it synchronously in a child process
// (Prisma's client needs a migrated database before its first query):
//   ETL_MIGRATE_URL=postgres://... node server/db/migrate-postgres.mjs MIGRATIONS_DIR
//   -> prints the names applied (JSON); creates the database first if it does not exist
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

const LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
const LOCK = 7_310_001; // any constant: one migrator at a time per database

export function loadMigrations(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Creates the database of `url` when it does not exist (tests get one database per file). */
export async function ensureDatabase(url) {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (r.rowCount === 0) {
      try {
        await c.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      } catch (e) {
        if (e.code !== "42P04") throw e; // created meanwhile by another process
      }
    }
  } finally {
    await c.end();
  }
}

/** Applies pending migrations; resolves to the names applied. Idempotent. */
export async function migratePostgres(url, dir) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("SELECT pg_advisory_lock($1)", [LOCK]);
    await c.query(LEDGER);
    const done = new Map((await c.query(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    )).rows.map((r) => [r.migration_name, r.checksum]));
    const applied = [];
    for (const m of loadMigrations(dir)) {
      const prior = done.get(m.name);
      if (prior !== undefined) {
        if (prior !== m.checksum) throw new Error(`Migration ${m.name} was edited after it was applied (checksum differs)`);
        continue;
      }
      await c.query("BEGIN");
      try {
        await c.query(m.sql);
        await c.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await c.query("COMMIT");
      } catch (e) {
        await c.query("ROLLBACK");
        throw new Error(`Migration ${m.name} failed: ${e.message}`);
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await c.query("SELECT pg_advisory_unlock($1)", [LOCK]).catch(() => undefined);
    await c.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.ETL_MIGRATE_URL;
  const dir = process.argv[2];
  try {
    await ensureDatabase(url);
    console.log(JSON.stringify(await migratePostgres(url, dir)));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
