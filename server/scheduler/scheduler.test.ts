// The scheduler against a real SQLite database with an injected clock: two scheduler instances
// (this process and a child process, each with its own connection, as two app processes on one
// database would be) race over a simulated day
// and every slot fires exactly once; skip/queue overlap policies; downtime fires once, late;
// disabled schedules never fire; DST days fire at the right wall-clock times. Runs are created
// by the real createRun (compiled, queued) and claimed by the real queue.
import { execFileSync, fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../api/root";
import { createDb, type Db } from "../db";
import { claimNext } from "../runs/claim";
import { Scheduler, type Fired } from "./scheduler";
import { createSchedule, setScheduleEnabled, type ScheduleFields } from "./schedules";
import { LOCAL_ACTOR } from "../auth/actor";

const root = path.resolve(__dirname, "../..");
let dir: string;
let dbA: Db;
let racer: ChildProcess;
let local: Scheduler;
let caller: ReturnType<typeof createCaller>;
let clock = new Date("2026-06-01T00:00:00Z");
const now = () => clock;
const MIN = 60_000;

type RacerReply = { ready?: boolean; fired?: (Omit<Fired, "slot"> & { slot: string })[]; lostClaims?: number; error?: string };
let racerLost = 0;
function racerReply(): Promise<RacerReply> {
  return new Promise((resolve) => racer.once("message", (m) => resolve(m as RacerReply)));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-scheduler-"));
  execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", "2000", "--out", path.join(dir, "data", "reviews")]);
  process.env.ETL_BASE_DIR = dir;
  const file = path.join(dir, "test.db");
  dbA = createDb(`file:${file}`, root);
  caller = createCaller({ db: dbA, actor: LOCAL_ACTOR });
  local = new Scheduler({ db: dbA, now, log: () => {} });
  // the second instance: its own process and connection on the same file
  racer = fork(path.join(__dirname, "testing", "racer.ts"), [file, root], { execArgv: ["--import", "tsx"], env: { ...process.env, ETL_BASE_DIR: dir } });
  await racerReply();
});
afterAll(async () => {
  racer.send({ stop: true });
  await new Promise((resolve) => racer.once("exit", resolve));
  await dbA.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await dbA.schedule.deleteMany({});
});

const example = () => JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
const newPipeline = async (name: string) => (await caller.pipelines.create({ name, document: example() })).id;

/** Both instances tick at the current simulated instant, concurrently; what each fired. */
async function tickBoth(): Promise<{ slot: string; late: boolean; missed: number; outcome: string; by: string }[]> {
  const remote = racerReply();
  racer.send({ now: clock.toISOString() });
  const [a, b] = await Promise.all([local.tick(), remote]);
  if (b.error) throw new Error(`racer: ${b.error}`);
  racerLost = b.lostClaims ?? 0;
  return [...a.map((f) => ({ ...f, slot: f.slot.toISOString(), by: "local" })), ...(b.fired ?? []).map((f) => ({ ...f, by: "racer" }))];
}
const fields = (cron: string, o: Partial<ScheduleFields> = {}): ScheduleFields => ({ cron, timezone: "UTC", enabled: true, overlap: "queue", ...o });

/** Moves the clock from now to `until` in `stepMs` steps, both schedulers ticking at once each step. */
async function simulate(until: Date, stepMs: number) {
  const fired = [];
  while (clock < until) {
    clock = new Date(Math.min(clock.getTime() + stepMs, until.getTime()));
    fired.push(...(await tickBoth()));
  }
  return fired;
}

const firesOf = (scheduleId: string) => dbA.scheduleFire.findMany({ where: { scheduleId }, orderBy: { slot: "asc" } });

describe("scheduler", () => {
  it("fires every slot of a simulated day exactly once with two instances racing on one database", async () => {
    const pipelineId = await newPipeline("Every half hour");
    clock = new Date("2026-06-01T00:00:00Z");
    const s = await createSchedule(dbA, pipelineId, fields("*/30 * * * *"), clock);
    const fired = await simulate(new Date("2026-06-02T00:00:00Z"), 45_000); // ticks off the slot grid

    const expected = Array.from({ length: 48 }, (_, i) => new Date(Date.parse("2026-06-01T00:30:00Z") + i * 30 * MIN).toISOString());
    const fires = await firesOf(s.id);
    expect(fires.map((f) => f.slot.toISOString())).toEqual(expected);
    expect(fired.map((f) => f.slot).sort()).toEqual(expected); // each reported by exactly one instance
    expect(fires.every((f) => f.outcome === "started" && !f.late && f.runId)).toBe(true);
    // they really raced: both looked at the same due slots and the database turned one away
    expect(local.lostClaims + racerLost).toBeGreaterThan(0);
    // each fire is a real queued run with trigger "schedule", one per slot
    const runs = await dbA.run.findMany({ where: { pipelineId }, select: { id: true, trigger: true, state: true } });
    expect(runs).toHaveLength(48);
    expect(new Set(runs.map((r) => r.id))).toEqual(new Set(fires.map((f) => f.runId)));
    expect(runs.every((r) => r.trigger === "schedule" && r.state === "queued")).toBe(true);
    expect((await dbA.schedule.findUnique({ where: { id: s.id } }))?.nextFireAt?.toISOString()).toBe("2026-06-02T00:30:00.000Z");
    await dbA.run.deleteMany({ where: { pipelineId } });
  });

  it("skip: no run while one of the pipeline is still going, and the skip is recorded", async () => {
    const pipelineId = await newPipeline("Skip overlap");
    clock = new Date("2026-06-03T00:00:00Z");
    const s = await createSchedule(dbA, pipelineId, fields("0 * * * *", { overlap: "skip" }), clock);
    await simulate(new Date("2026-06-03T02:10:00Z"), MIN);
    let fires = await firesOf(s.id);
    expect(fires.map((f) => [f.slot.toISOString(), f.outcome])).toEqual([["2026-06-03T01:00:00.000Z", "started"], ["2026-06-03T02:00:00.000Z", "skipped"]]);
    expect(fires[1].message).toBe(`Skipped: run ${fires[0].runId} of this pipeline was still queued`);
    await dbA.run.update({ where: { id: fires[0].runId! }, data: { state: "succeeded", endedAt: clock } });
    await simulate(new Date("2026-06-03T03:10:00Z"), MIN);
    fires = await firesOf(s.id);
    expect(fires[2]).toMatchObject({ outcome: "started" });
    expect(await dbA.run.count({ where: { pipelineId } })).toBe(2);
    await dbA.run.deleteMany({ where: { pipelineId } });
  });

  it("queue: starts a run anyway, and the queue's concurrency limit still applies", async () => {
    const pipelineId = await newPipeline("Queue overlap");
    clock = new Date("2026-06-04T00:00:00Z");
    const s = await createSchedule(dbA, pipelineId, fields("0 * * * *", { overlap: "queue" }), clock);
    await simulate(new Date("2026-06-04T02:10:00Z"), MIN);
    const fires = await firesOf(s.id);
    expect(fires.map((f) => f.outcome)).toEqual(["started", "started"]);
    expect(await dbA.run.count({ where: { pipelineId, state: "queued", trigger: "schedule" } })).toBe(2);
    // the monitor's claim submits one at a time with a limit of 1, oldest first
    expect(await claimNext(dbA, 1)).toBe(fires[0].runId);
    expect(await claimNext(dbA, 1)).toBeNull();
    await dbA.run.deleteMany({ where: { pipelineId } });
  });

  it("after downtime fires the latest missed slot once, marked late, and not the older ones", async () => {
    const pipelineId = await newPipeline("Downtime");
    clock = new Date("2026-06-05T00:00:00Z");
    const s = await createSchedule(dbA, pipelineId, fields("0 * * * *"), clock);
    await simulate(new Date("2026-06-05T02:05:00Z"), MIN);
    clock = new Date("2026-06-05T07:20:00Z"); // the app was down from 02:05 to 07:20
    const fired = await tickBoth();
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ late: true, missed: 4, outcome: "started" });
    const fires = await firesOf(s.id);
    expect(fires.map((f) => [f.slot.toISOString(), f.late])).toEqual([
      ["2026-06-05T01:00:00.000Z", false], ["2026-06-05T02:00:00.000Z", false], ["2026-06-05T07:00:00.000Z", true],
    ]);
    expect(fires[2].firedAt.toISOString()).toBe("2026-06-05T07:20:00.000Z");
    expect(fires[2].missedSlots).toBe(4);
    await simulate(new Date("2026-06-05T07:59:00Z"), MIN);
    expect(await firesOf(s.id)).toHaveLength(3);
    await dbA.run.deleteMany({ where: { pipelineId } });
  });

  it("never fires a disabled schedule, and re-enabling does not fire slots from before", async () => {
    const pipelineId = await newPipeline("Disabled");
    clock = new Date("2026-06-06T00:00:00Z");
    const s = await createSchedule(dbA, pipelineId, fields("*/10 * * * *", { enabled: false }), clock);
    await simulate(new Date("2026-06-07T00:00:00Z"), 3 * MIN);
    expect(await firesOf(s.id)).toHaveLength(0);
    expect(await dbA.run.count({ where: { pipelineId } })).toBe(0);

    await setScheduleEnabled(dbA, s.id, true, clock);
    await setScheduleEnabled(dbA, s.id, false, clock);
    await simulate(new Date("2026-06-07T06:00:00Z"), 3 * MIN);
    expect(await firesOf(s.id)).toHaveLength(0);

    await setScheduleEnabled(dbA, s.id, true, clock);
    await simulate(new Date("2026-06-07T06:25:00Z"), MIN);
    expect((await firesOf(s.id)).map((f) => [f.slot.toISOString(), f.late])).toEqual([["2026-06-07T06:10:00.000Z", false], ["2026-06-07T06:20:00.000Z", false]]);
    await dbA.run.deleteMany({ where: { pipelineId } });
  });

  it("fires at the right wall-clock times across DST changes", async () => {
    const pipelineId = await newPipeline("DST");
    const wall = (d: Date, timeZone: string) =>
      new Intl.DateTimeFormat("en-GB", { timeZone, day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
    clock = new Date("2026-03-07T00:00:00Z");
    const ny = await createSchedule(dbA, pipelineId, fields("30 2 * * *", { timezone: "America/New_York" }), clock);
    const berlin = await createSchedule(dbA, pipelineId, fields("0 9 * * *", { timezone: "Europe/Berlin" }), clock);
    await simulate(new Date("2026-03-10T00:00:00Z"), 5 * MIN);
    // 02:30 does not exist on 8 March in New York: it runs at the first valid time, 03:00 EDT
    expect((await firesOf(ny.id)).map((f) => wall(f.slot, "America/New_York"))).toEqual(["07, 02:30", "08, 03:00", "09, 02:30"]);
    expect((await firesOf(ny.id)).map((f) => f.slot.toISOString())).toEqual(["2026-03-07T07:30:00.000Z", "2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z"]);
    expect((await firesOf(berlin.id)).map((f) => wall(f.slot, "Europe/Berlin"))).toEqual(["07, 09:00", "08, 09:00", "09, 09:00"]);

    await dbA.schedule.deleteMany({});
    clock = new Date("2026-10-24T00:00:00Z");
    const autumn = await createSchedule(dbA, pipelineId, fields("0 9 * * *", { timezone: "Europe/Berlin" }), clock);
    const repeated = await createSchedule(dbA, pipelineId, fields("30 1 * * *", { timezone: "America/New_York" }), clock);
    await simulate(new Date("2026-11-03T00:00:00Z"), 10 * MIN);
    const autumnFires = await firesOf(autumn.id);
    expect(autumnFires.slice(0, 3).map((f) => f.slot.toISOString())).toEqual(["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
    expect(autumnFires.every((f) => wall(f.slot, "Europe/Berlin").endsWith("09:00"))).toBe(true);
    // 01:30 happens twice on 1 November in New York (fall back): it fires once
    const nov1 = (await firesOf(repeated.id)).filter((f) => wall(f.slot, "America/New_York").startsWith("01,"));
    expect(nov1.map((f) => f.slot.toISOString())).toEqual(["2026-11-01T05:30:00.000Z"]);
    await dbA.run.deleteMany({ where: { pipelineId } });
  });
});
