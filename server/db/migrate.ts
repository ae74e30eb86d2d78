// Applies the committed migrations (prisma/migrations/*/migration.sql) in order, recording them
// in Prisma's own `_prisma_migrations` ledger. No schema engine and no network are needed, so
// the app and the tests migrate a fresh database in milliseconds.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

export interface Migration { readonly name: string; readonly sql: string; readonly checksum: string }

/** The committed migrations in order, e.g. `[{ name: "20261125_init", sql: "CREATE TABLE ...", checksum }]`. */
export function loadMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** `file:/abs/app.db` or `file:./rel.db` -> filesystem path. */
export function sqlitePath(url: string, root: string): string {
  const p = url.replace(/^file:/, "").split("?")[0];
  return path.isAbsolute(p) ? p : path.resolve(root, p);
}

/** Applies pending migrations to a SQLite file; returns the names applied. Idempotent. */
export function migrateSqlite(file: string, migrationsDir: string): string[] {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(LEDGER);
    const done = new Map(
      (db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`).all() as { migration_name: string; checksum: string }[])
        .map((r) => [r.migration_name, r.checksum]),
    );
    const applied: string[] = [];
    for (const m of loadMigrations(migrationsDir)) {
      const prior = done.get(m.name);
      if (prior !== undefined) {
        if (prior !== m.checksum) throw new Error(`Migration ${m.name} was edited after it was applied (checksum differs)`);
        continue;
      }
      const now = new Date().toISOString();
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`)
          .run(randomUUID(), m.checksum, now, m.name, now);
      })();
      applied.push(m.name);
    }
    return applied;
  } finally {
    db.close();
  }
}
