// The runs table on 20,000 runs in a real SQLite file: filters, sort and pages return exactly
// the runs an independent count says, and the page and count queries Prisma actually sends are
// served by an index (EXPLAIN QUERY PLAN), never a scan of the whole table. No timings.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateSqlite } from "../db/migrate";
import { sqliteTimestamp } from "../runs/claim";
import { runsPage } from "./runs-table";

const root = path.resolve(__dirname, "../..");
const N = 20_000;
const PIPELINES = ["orders", "reviews", "clicks", "billing", "events"];
const STATES = ["succeeded", "succeeded", "succeeded", "failed", "cancelled", "running", "queued"];
const TRIGGERS = ["manual", "schedule", "schedule", "retry"];
const T0 = Date.parse("2026-01-01T00:00:00Z");

interface Seed { id: string; pipelineId: string; state: string; trigger: string; createdAt: number }
const seeds: Seed[] = [];
let dir: string;
let file: string;
let prisma: PrismaClient;
const queries: { query: string; params: string }[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-runs-table-"));
  file = path.join(dir, "runs.db");
  migrateSqlite(file, path.join(root, "prisma", "migrations"));
  const raw = new Database(file);
  const ins = raw.prepare(`INSERT INTO "Run" ("id","pipelineId","pipelineVersion","document","script","trigger","state","createdAt","submittedAt","endedAt","updatedAt","errorNodeId","errorMessage","rowsWritten")
    VALUES (?,?,1,'{}','',?,?,?,?,?,?,?,?,?)`);
  raw.prepare(`INSERT INTO "Pipeline" ("id","name","document","updatedAt") VALUES (?,?,'{}',?)`);
  raw.transaction(() => {
    for (const [i, p] of PIPELINES.entries()) raw.prepare(`INSERT INTO "Pipeline" ("id","name","document","updatedAt") VALUES (?,?,'{}',?)`).run(p, `Pipeline ${i}`, sqliteTimestamp(new Date(T0)));
    for (let i = 0; i < N; i++) {
      // deterministic spread: every 2 minutes over ~28 days
      const s: Seed = { id: `run-${String(i).padStart(6, "0")}`, pipelineId: PIPELINES[(i * 7) % 5], state: STATES[(i * 3) % 7], trigger: TRIGGERS[(i * 5) % 4], createdAt: T0 + i * 120_000 };
      seeds.push(s);
      const created = sqliteTimestamp(new Date(s.createdAt));
      const ended = ["succeeded", "failed", "cancelled"].includes(s.state) ? sqliteTimestamp(new Date(s.createdAt + 60_000 + (i % 50) * 1000)) : null;
      ins.run(s.id, s.pipelineId, s.trigger, s.state, created, s.state === "queued" ? null : created, ended, ended ?? created,
        s.state === "failed" ? "keep" : null, s.state === "failed" ? "ValueError: bad row" : null, s.state === "succeeded" ? JSON.stringify({ out: i }) : null);
    }
  })();
  raw.close();
  const client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }), log: [{ emit: "event", level: "query" }] });
  client.$on("query", (e) => queries.push({ query: e.query, params: e.params }));
  prisma = client as unknown as PrismaClient;
});
afterAll(async () => {
  await prisma.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const iso = (t: number) => new Date(t).toISOString();

/** EXPLAIN QUERY PLAN of each SELECT on "Run" Prisma sent since `from`. */
function plans(from: number): string[][] {
  const raw = new Database(file, { readonly: true });
  try {
    return queries.slice(from).filter((q) => /FROM [`"]?main[`"]?\.[`"]Run[`"]|FROM [`"]Run[`"]/.test(q.query)).map((q) => {
      const params = JSON.parse(q.params) as unknown[];
      const args = params.map((p) => (typeof p === "boolean" ? Number(p) : p));
      return (raw.prepare(`EXPLAIN QUERY PLAN ${q.query}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    });
  } finally {
    raw.close();
  }
}

describe("runs table", () => {
  it("filters by pipeline, state, trigger and time range, with the exact total", async () => {
    const from = T0 + 3 * 86_400_000;
    const to = T0 + 10 * 86_400_000;
    const expected = seeds.filter((s) => s.pipelineId === "reviews" && (s.state === "failed" || s.state === "cancelled") && s.trigger === "schedule" && s.createdAt >= from && s.createdAt < to);
    const page = await runsPage(prisma, { pipelineId: "reviews", states: ["failed", "cancelled"], trigger: "schedule", from: iso(from), to: iso(to), pageSize: 100 });
    expect(page.total).toBe(expected.length);
    expect(page.rows.map((r) => r.id)).toEqual(expected.sort((a, b) => b.createdAt - a.createdAt).slice(0, 100).map((s) => s.id));
    expect(page.rows.every((r) => r.pipelineName === "Pipeline 1")).toBe(true);
    const failed = page.rows.find((r) => r.state === "failed");
    expect(failed).toMatchObject({ errorNodeId: "keep", errorMessage: "ValueError: bad row", durationMs: expect.any(Number) });
  });

  it("pages through a sort without gaps or repeats", async () => {
    const all: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const p = await runsPage(prisma, { pipelineId: "orders", sort: "createdAt", dir: "asc", page, pageSize: 50 });
      expect(p.total).toBe(seeds.filter((s) => s.pipelineId === "orders").length);
      all.push(...p.rows.map((r) => r.id));
    }
    expect(all).toEqual(seeds.filter((s) => s.pipelineId === "orders").slice(0, 200).map((s) => s.id));
    const byState = await runsPage(prisma, { sort: "state", dir: "asc", pageSize: 5 });
    expect(byState.rows.every((r) => r.state === "cancelled")).toBe(true);
    expect(byState.total).toBe(N);
  });

  it("serves every filtered page and its count from an index on 20k runs", async () => {
    const filters = [
      { pipelineId: "clicks" },
      { states: ["failed" as const] },
      { states: ["failed" as const, "cancelled" as const] },
      { trigger: "retry" as const },
      { from: iso(T0 + 86_400_000), to: iso(T0 + 2 * 86_400_000) },
      { pipelineId: "billing", states: ["succeeded" as const], from: iso(T0) },
    ];
    for (const f of filters) {
      const before = queries.length;
      await runsPage(prisma, { ...f, page: 3, pageSize: 25 });
      const ps = plans(before);
      if (process.env.SHOW_PLANS) console.log(JSON.stringify(f), ps.map((p) => p.join(" | ")));
      expect(ps.length, JSON.stringify(f)).toBeGreaterThanOrEqual(2); // the page and its count
      for (const plan of ps) {
        const text = plan.join(" | ");
        expect(text, `${JSON.stringify(f)}: ${text}`).toMatch(/USING (COVERING )?INDEX Run_/);
        expect(text, `${JSON.stringify(f)}: ${text}`).not.toMatch(/SCAN (main\.)?Run( |$)(?!USING)/);
      }
    }
    // unfiltered, newest first: the page walks the createdAt index (the total counts everything)
    const before = queries.length;
    await runsPage(prisma, { page: 40, pageSize: 25 });
    expect(plans(before)[0].join(" | ")).toMatch(/USING (COVERING )?INDEX Run_createdAt_idx/);
  });
});
