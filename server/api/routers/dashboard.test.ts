// The dashboard router through a tRPC caller on a real SQLite database: counts by state over
// 24 h and 7 days, active runs with stage progress, failures with node and message, schedule
// notes and upcoming slots, the runs table, what a run ran, and per-pipeline chart data.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db";
import { createCaller } from "../root";
import { LOCAL_ACTOR } from "../../auth/actor";

const root = path.resolve(__dirname, "../../..");
let dir: string;
let db: Db;
let caller: ReturnType<typeof createCaller>;
const H = 3_600_000;
const now = Date.now();
const ago = (ms: number) => new Date(now - ms);

async function run(id: string, o: { pipelineId?: string; state: string; at: number; trigger?: string; durationS?: number; rows?: number; error?: [string, string] }) {
  const created = ago(o.at);
  const ended = ["succeeded", "failed", "cancelled"].includes(o.state) ? new Date(created.getTime() + (o.durationS ?? 10) * 1000) : null;
  await db.run.create({
    data: {
      id, pipelineId: o.pipelineId ?? "orders", pipelineVersion: 2, document: '{"nodes":[]}', script: "import ray\n", trigger: o.trigger ?? "manual", state: o.state,
      createdAt: created, submittedAt: o.state === "queued" ? null : created, startedAt: o.state === "queued" ? null : created, endedAt: ended,
      rowsWritten: o.rows === undefined ? null : JSON.stringify({ out: o.rows }),
      ...(o.error ? { errorNodeId: o.error[0], errorMessage: o.error[1], errorCode: "PIPELINE" } : {}),
    },
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-dashboard-"));
  db = createDb(`file:${path.join(dir, "test.db")}`, root);
  caller = createCaller({ db, actor: LOCAL_ACTOR });
  await db.pipeline.create({ data: { id: "orders", name: "Orders", document: "{}" } });
  await db.pipeline.create({ data: { id: "clicks", name: "Clicks", document: "{}" } });
  await run("r-ok-1", { state: "succeeded", at: 2 * H, durationS: 30, rows: 100 });
  await run("r-ok-2", { state: "succeeded", at: 30 * H, durationS: 50, rows: 120, trigger: "schedule" });
  await run("r-bad", { state: "failed", at: 3 * H, error: ["keep", "ValueError: no books today"] });
  await run("r-old", { state: "failed", at: 10 * 24 * H, error: ["read", "old"] });
  await run("r-live", { state: "running", at: 0.1 * H, pipelineId: "clicks" });
  await db.runStage.createMany({ data: [
    { runId: "r-live", key: "out:0", stage: "ReadFiles", nodes: '["read"]', state: "succeeded", rowsOut: 5000n },
    { runId: "r-live", key: "out:1", stage: "Sort", nodes: '["sort"]', state: "running", rowsOut: 1200n },
  ] });
  await db.schedule.create({ data: { id: "s-late", pipelineId: "orders", cron: "0 * * * *", timezone: "UTC", nextFireAt: new Date(now + 2 * H) } });
  await db.schedule.create({ data: { id: "s-soon", pipelineId: "clicks", cron: "*/5 * * * *", timezone: "UTC", nextFireAt: new Date(now + 60_000) } });
  await db.schedule.create({ data: { id: "s-off", pipelineId: "clicks", cron: "* * * * *", timezone: "UTC", enabled: false } });
  await db.scheduleFire.create({ data: { scheduleId: "s-late", slot: ago(H), firedAt: ago(0.5 * H), late: true, missedSlots: 3, outcome: "started", runId: "r-ok-1" } });
  await db.scheduleFire.create({ data: { scheduleId: "s-soon", slot: ago(0.2 * H), firedAt: ago(0.2 * H), outcome: "skipped", message: "Skipped: run r-live of this pipeline was still running" } });
  await db.scheduleFire.create({ data: { scheduleId: "s-soon", slot: ago(0.3 * H), firedAt: ago(0.3 * H), outcome: "started", runId: "r-live" } });
});
afterAll(async () => {
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("dashboard router", () => {
  it("summarises runs, failures, progress and schedules", async () => {
    const s = await caller.dashboard.summary();
    expect(s.counts24h).toEqual({ queued: 0, submitted: 0, running: 1, succeeded: 1, failed: 1, cancelled: 0 });
    expect(s.counts7d).toEqual({ queued: 0, submitted: 0, running: 1, succeeded: 2, failed: 1, cancelled: 0 });
    expect(s.active).toEqual([expect.objectContaining({ id: "r-live", pipelineName: "Clicks", stagesDone: 1, stagesTotal: 2, rowsSoFar: 1200 })]);
    expect(s.failures.map((f) => [f.id, f.errorNodeId, f.errorMessage])).toEqual([["r-bad", "keep", "ValueError: no books today"], ["r-old", "read", "old"]]);
    expect(s.recent.map((r) => r.id)).toEqual(["r-live", "r-ok-1", "r-bad", "r-ok-2", "r-old"]);
    expect(s.upcoming.map((u) => [u.scheduleId, u.pipelineName, u.description])).toEqual([["s-soon", "Clicks", "Every 5 minutes"], ["s-late", "Orders", "At minute 0 of every hour"]]);
    expect(s.fireNotes.map((f) => [f.scheduleId, f.outcome, f.late, f.missedSlots])).toEqual([["s-soon", "skipped", false, 0], ["s-late", "started", true, 3]]);
  });

  it("pages the runs table and shows what a run ran", async () => {
    const p = await caller.dashboard.runs({ pipelineId: "orders", states: ["succeeded"], sort: "createdAt", dir: "asc" });
    expect(p).toMatchObject({ total: 2, page: 1 });
    expect(p.rows.map((r) => [r.id, r.durationMs, r.rowsWritten, r.trigger])).toEqual([["r-ok-2", 50_000, 120, "schedule"], ["r-ok-1", 30_000, 100, "manual"]]);
    expect((await caller.dashboard.runs({ trigger: "schedule" })).rows.map((r) => r.id)).toEqual(["r-ok-2"]);
    expect((await caller.dashboard.runs({ from: ago(24 * H).toISOString(), pageSize: 2 })).total).toBe(3);
    expect(await caller.dashboard.runSource({ runId: "r-bad" })).toEqual({ pipelineId: "orders", pipelineVersion: 2, document: '{"nodes":[]}', script: "import ray\n" });
    await expect(caller.dashboard.runSource({ runId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.dashboard.runs({ from: "yesterday" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("gives chart points per ended run and the daily success rate", async () => {
    const st = await caller.dashboard.pipelineStats({ pipelineId: "orders" });
    expect(st.points.map((p) => [p.runId, p.state, p.durationMs, p.rowsWritten])).toEqual([
      ["r-old", "failed", 10_000, null], ["r-ok-2", "succeeded", 50_000, 120], ["r-bad", "failed", 10_000, null], ["r-ok-1", "succeeded", 30_000, 100],
    ]);
    const total = st.daily.reduce((a, d) => a + d.succeeded + d.failed + d.cancelled, 0);
    expect(total).toBe(4);
    for (const d of st.daily) expect(d.successRate).toBeCloseTo(d.succeeded / (d.succeeded + d.failed + d.cancelled));
  });
});
