// The database locked by another process for a moment (a backup, a second app process, a CLI):
// a save waits for the lock and succeeds; a lock held past the busy timeout fails the request
// with a clear, stable error (E_DB_BUSY, HTTP 503), the pipeline keeps its previous version, and
// a retry once the lock is gone succeeds. Real SQLite files; the lock is held by a separate
// process, since better-sqlite3 waits for a lock synchronously (this process cannot release it).
// The background loops (scheduler, run monitor) log a pass that hit the lock and do the work on
// the next pass: nothing fired twice, nothing lost, the process keeps going.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_ACTOR } from "../auth/actor";
import { createTrpcHandler } from "../api/handler";
import { createCaller } from "../api/root";
import { createDb, type Db } from "../db";
import type { RayJobInfo, RayJobsClient, SubmitRequest } from "../runner/ray-jobs";
import { RunMonitor } from "../runs/monitor";
import { Scheduler } from "../scheduler/scheduler";
import { createSchedule } from "../scheduler/schedules";
import { DB_BUSY_MESSAGE, isDbBusy, SQLITE_BUSY_TIMEOUT_MS } from "./busy";

const root = path.resolve(__dirname, "../..");
let dir: string;
let file: string;
let database: Db;
let caller: ReturnType<typeof createCaller>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-busy-"));
  file = path.join(dir, "app.db");
  // scheduled runs compile against the data they read
  execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", "2000", "--out", path.join(dir, "data", "reviews")]);
  process.env.ETL_BASE_DIR = dir;
  database = createDb(`file:${file}`, root);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Another process takes the database's write lock (BEGIN EXCLUSIVE) and holds it for `ms`.
 * Resolves once the lock is held; `released` resolves when that process committed and exited. */
async function holdLock(ms: number): Promise<{ released: Promise<number | null>; proc: ChildProcess }> {
  const script = `const D = require("better-sqlite3"); const d = new D(${JSON.stringify(file)});
    d.exec("BEGIN EXCLUSIVE"); d.exec("CREATE TABLE IF NOT EXISTS _lock_probe (x)"); process.stdout.write("locked\\n");
    setTimeout(() => { d.exec("COMMIT"); d.close(); }, ${ms});`;
  const proc = spawn(process.execPath, ["-e", script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const released = new Promise<number | null>((resolve) => proc.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.once("data", () => resolve());
    proc.once("exit", (code) => reject(new Error(`the lock holder exited (${code}) before locking`)));
  });
  return { released, proc };
}

const post = (handle: (r: Request) => Promise<Response>, proc: string, body: unknown) =>
  handle(new Request(`http://127.0.0.1:3000/api/trpc/${proc}`, {
    method: "POST",
    headers: { host: "127.0.0.1:3000", "content-type": "application/json", origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" },
    body: JSON.stringify(body),
  }));

describe("a busy database", () => {
  it("a save waits for a lock held ~1 s and succeeds: the version is stored, nothing lost", async () => {
    const { id } = await caller.pipelines.create({ name: "Busy for a moment" });
    const v1 = await caller.pipelines.get({ id });
    const { released } = await holdLock(1000);
    const t0 = Date.now();
    const res = await caller.pipelines.save({ id, expectedVersion: 1, document: { ...v1.document, description: "saved while locked" } });
    const waited = Date.now() - t0;
    expect(res).toEqual({ version: 2 });
    expect(waited).toBeGreaterThan(500); // it did wait for the other process
    expect(await released).toBe(0); // and the other process's transaction committed too
    const now = await caller.pipelines.get({ id });
    expect(now.version).toBe(2);
    expect(now.document.description).toBe("saved while locked");
    expect((await caller.pipelines.versions({ id })).map((v) => v.version)).toEqual([2, 1]);
  });

  it("a lock held past the busy timeout fails the save clearly (E_DB_BUSY, 503); the previous version stays; a retry succeeds", async () => {
    const handle = createTrpcHandler({ createContext: () => ({ db: database, actor: LOCAL_ACTOR }) });
    const { id } = await caller.pipelines.create({ name: "Busy for long" });
    const v1 = await caller.pipelines.get({ id });
    expect(await caller.pipelines.save({ id, expectedVersion: 1, document: { ...v1.document, description: "version two" } })).toEqual({ version: 2 });
    const edit = { ...v1.document, description: "version three" };

    const { released } = await holdLock(2 * SQLITE_BUSY_TIMEOUT_MS + 1500); // past two requests' busy timeouts
    const t0 = Date.now();
    const res = await post(handle, "pipelines.save", { id, expectedVersion: 2, document: edit });
    const waited = Date.now() - t0;
    const text = await res.text();
    expect(res.status).toBe(503);
    const body = JSON.parse(text) as { error: { message: string; data: { code: string; appCode: string | null } } };
    expect(body.error.message).toBe(DB_BUSY_MESSAGE);
    expect(body.error.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", appCode: "E_DB_BUSY" });
    expect(waited).toBeGreaterThanOrEqual(SQLITE_BUSY_TIMEOUT_MS - 200); // waited the busy timeout first
    // nothing internal reaches the caller
    for (const leak of [dir, "prisma", "SQLITE", "invocation", "node_modules", ".ts:"]) expect(text).not.toContain(leak);

    // the tRPC caller sees the same stable code
    await expect(caller.pipelines.save({ id, expectedVersion: 2, document: edit })).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE", message: DB_BUSY_MESSAGE, cause: expect.objectContaining({ code: "E_DB_BUSY" }),
    });

    // reads still work under the lock (WAL) and show the previous version, unharmed
    const during = await caller.pipelines.get({ id });
    expect(during.version).toBe(2);
    expect(during.document.description).toBe("version two");

    expect(await released).toBe(0);
    // the same edit, retried once the lock is gone, is saved as the next version
    expect(await caller.pipelines.save({ id, expectedVersion: 2, document: edit })).toEqual({ version: 3 });
    expect((await caller.pipelines.get({ id })).document.description).toBe("version three");
    expect((await caller.pipelines.versions({ id })).map((v) => v.version)).toEqual([3, 2, 1]);
  }, 60_000);

  it("recognises the busy family of driver errors and nothing else", () => {
    expect(isDbBusy({ code: "P1008", meta: { driverAdapterError: { cause: { originalCode: "SQLITE_BUSY", kind: "SocketTimeout" } } } })).toBe(true);
    expect(isDbBusy(Object.assign(new Error("database table is locked"), { code: "SQLITE_LOCKED" }))).toBe(true);
    expect(isDbBusy(new Error("wrapped", { cause: Object.assign(new Error("x"), { code: "SQLITE_BUSY_SNAPSHOT" }) }))).toBe(true);
    expect(isDbBusy({ code: "55P03" })).toBe(true); // PostgreSQL lock_not_available
    expect(isDbBusy({ code: "P2002" })).toBe(false);
    expect(isDbBusy(Object.assign(new Error("constraint"), { code: "SQLITE_CONSTRAINT_UNIQUE" }))).toBe(false);
    expect(isDbBusy(new Error("SQLITE_BUSY in a message only"))).toBe(false);
    expect(isDbBusy(null)).toBe(false);
  });
});

/** Ray's Jobs API as far as the monitor uses it: accepts submissions, reports them pending. */
class AcceptingRay {
  readonly address = "http://127.0.0.1:9";
  readonly submitted: string[] = [];
  async uploadPackage() { return "gcs://_ray_pkg_x.zip"; }
  async submit(req: SubmitRequest) { this.submitted.push(req.submissionId); return { submission_id: req.submissionId }; }
  async get(id: string): Promise<RayJobInfo | null> {
    return this.submitted.includes(id) ? { submission_id: id, job_id: null, status: "PENDING", message: null, start_time: 1_000, end_time: null } : null;
  }
  async logs() { return ""; }
  async stop() { return true; }
}

describe("the background loops on a busy database", () => {
  it("the scheduler logs the slot it could not fire and fires it once on the next tick; the monitor submits the run once the lock is gone", async () => {
    const example = JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
    const { id: pipelineId } = await caller.pipelines.create({ name: "Scheduled while busy", document: example });
    let clock = new Date("2026-06-01T00:00:00Z");
    const logs: string[] = [];
    const scheduler = new Scheduler({ db: database, now: () => clock, log: (m) => logs.push(m) });
    const schedule = await createSchedule(database, pipelineId, { cron: "0 * * * *", timezone: "UTC", enabled: true, overlap: "queue" }, clock);
    const ray = new AcceptingRay();
    const monitor = new RunMonitor({ db: database, client: ray as unknown as RayJobsClient, root, baseDir: dir, config: { ETL_MAX_CONCURRENT_RUNS: 2 }, log: (m) => logs.push(m) });
    clock = new Date("2026-06-01T01:00:05Z"); // the 01:00 slot is due

    const { released } = await holdLock(SQLITE_BUSY_TIMEOUT_MS + 1500);
    expect(await scheduler.tick()).toEqual([]); // waited, gave up this tick, did not throw
    expect(logs.some((m) => m.startsWith(`schedule ${schedule.id} not fired: `))).toBe(true);
    expect(await database.scheduleFire.count({ where: { scheduleId: schedule.id } })).toBe(0);
    expect(await released).toBe(0);

    const fired = await scheduler.tick();
    expect(fired).toEqual([expect.objectContaining({ scheduleId: schedule.id, outcome: "started", late: false })]);
    expect(await scheduler.tick()).toEqual([]); // once
    const runs = await database.run.findMany({ where: { pipelineId } });
    expect(runs.map((r) => r.state)).toEqual(["queued"]);

    // the monitor's pass hits the lock: logged, nothing thrown, the run still queued
    const second = await holdLock(SQLITE_BUSY_TIMEOUT_MS + 1500);
    logs.length = 0;
    await monitor.tick();
    await monitor.drain();
    expect(logs.some((m) => m.startsWith("monitor pass failed: "))).toBe(true);
    expect(ray.submitted).toEqual([]);
    expect((await database.run.findUniqueOrThrow({ where: { id: runs[0].id } })).state).toBe("queued");
    expect(await second.released).toBe(0);

    await monitor.tick();
    await monitor.drain();
    expect(ray.submitted).toEqual([runs[0].id]);
    expect((await database.run.findUniqueOrThrow({ where: { id: runs[0].id } })).state).not.toBe("queued");
  }, 90_000);
});
