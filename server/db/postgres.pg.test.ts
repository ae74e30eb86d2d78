// PostgreSQL only (vitest.pg.config.ts, ETL_TEST_PG_URL): the committed PostgreSQL migrations
// build the same tables and columns as the SQLite ones, apply once (ledger), refuse an edited
// migration, and the client round-trips the types that differ between the two (BigInt, DateTime).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, dialectOf, effectiveUrl, type Db } from "../db";
import { migrateSqlite } from "./migrate";
import { REPO_ROOT, tempDir } from "../storage/testing";

let tmp: ReturnType<typeof tempDir>;
let file: string;
let database: Db;
let url: string;

beforeAll(() => {
  tmp = tempDir("etl-pg-");
  file = `file:${path.join(tmp.dir, "pg.db")}`;
  url = effectiveUrl(file);
  database = createDb(file, REPO_ROOT);
});
afterAll(async () => {
  await database?.$disconnect();
  tmp?.cleanup();
});

async function pgColumns(): Promise<Record<string, string[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, ordinal_position`);
    const out: Record<string, string[]> = {};
    for (const row of r.rows) (out[row.table_name] ??= []).push(row.column_name);
    return out;
  } finally {
    await c.end();
  }
}

describe("PostgreSQL", () => {
  it("is what createDb opened for a test's file: URL", () => {
    expect(url).toMatch(/^postgres(ql)?:\/\/.*\/t_[0-9a-f]{20}$/);
    expect(dialectOf(database)).toBe("postgresql");
  });

  it("has the same tables and columns as the SQLite migrations build", async () => {
    const sqliteFile = path.join(tmp.dir, "sqlite.db");
    migrateSqlite(sqliteFile, path.join(REPO_ROOT, "prisma", "migrations"));
    const lite = new Database(sqliteFile, { readonly: true });
    const want: Record<string, string[]> = {};
    for (const { name } of lite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`).all() as { name: string }[]) {
      want[name] = (lite.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(name) as { name: string }[]).map((r) => r.name).sort();
    }
    lite.close();
    const got = Object.fromEntries(Object.entries(await pgColumns()).map(([t, cols]) => [t, [...cols].sort()]));
    expect(got).toEqual(want);
  });

  it("applies each migration once and refuses one edited after it was applied", () => {
    const again = createDb(file, REPO_ROOT); // a second process starting: nothing to apply
    void again.$disconnect();
    const dir = path.join(tmp.dir, "edited");
    fs.cpSync(path.join(REPO_ROOT, "prisma", "migrations-postgresql"), dir, { recursive: true });
    const first = fs.readdirSync(dir).sort()[0];
    fs.appendFileSync(path.join(dir, first, "migration.sql"), "\n-- edited\n");
    expect(() => execFileSync(process.execPath, [path.join(REPO_ROOT, "server/db/migrate-postgres.mjs"), dir], {
      env: { ...process.env, ETL_MIGRATE_URL: url }, stdio: "pipe",
    })).toThrow(/edited after it was applied/);
  });

  it("round-trips BigInt and DateTime like SQLite does", async () => {
    const runId = randomUUID();
    const at = new Date("2026-12-01T12:34:56.789Z");
    await database.run.create({ data: { id: runId, pipelineId: "p", pipelineVersion: 1, document: "{}", script: "", trigger: "manual", createdAt: at } });
    await database.runStage.create({ data: { runId, key: "out:0", stage: "Write", nodes: "[]", state: "succeeded", rowsOut: 2n ** 53n + 1n, startedAt: at } });
    const s = await database.runStage.findFirstOrThrow({ where: { runId } });
    expect(s.rowsOut).toBe(2n ** 53n + 1n);
    expect(s.startedAt?.toISOString()).toBe(at.toISOString());
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).createdAt.toISOString()).toBe(at.toISOString());
  });
});
