// The run service and monitor against a real SQLite database and a scripted stand-in for Ray's
// Jobs API (the real-Ray paths are covered by runtime/tests/integration/test_runs*.py).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "../api/root";
import { createDb, openDb, type Db } from "../db";
import { RayUnreachableError, type RayJobInfo, type RayJobStatus, type RayJobsClient, type SubmitRequest } from "../runner/ray-jobs";
import { claimNext } from "./claim";
import { RunMonitor } from "./monitor";
import { LOCAL_ACTOR } from "../auth/actor";

const root = path.resolve(__dirname, "../..");
let dir: string;
let database: Db;
let caller: ReturnType<typeof createCaller>;

interface FakeJob { status: RayJobStatus; log: string; message: string | null; req: SubmitRequest; end?: number }

/** Ray's Jobs API as far as the monitor uses it; tests script each job's status and log. */
class FakeRay {
  readonly address = "http://127.0.0.1:9";
  readonly jobs = new Map<string, FakeJob>();
  down = false;
  stops: string[] = [];
  private check() {
    if (this.down) throw new RayUnreachableError(this.address, Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }));
  }
  async uploadPackage() { this.check(); return "gcs://_ray_pkg_x.zip"; }
  async submit(req: SubmitRequest) {
    this.check();
    if (this.jobs.has(req.submissionId)) throw new Error(`Ray POST /api/jobs/ failed (400): Job with submission_id ${req.submissionId} already exists.`);
    this.jobs.set(req.submissionId, { status: "PENDING", log: "", message: null, req });
    return { submission_id: req.submissionId };
  }
  async get(id: string): Promise<RayJobInfo | null> {
    this.check();
    const j = this.jobs.get(id);
    return j ? { submission_id: id, job_id: null, status: j.status, message: j.message, start_time: 1_000, end_time: j.end ?? null } : null;
  }
  async logs(id: string) { this.check(); return this.jobs.get(id)?.log ?? ""; }
  async stop(id: string) {
    this.check();
    this.stops.push(id);
    const j = this.jobs.get(id);
    if (!j) throw new Error("Ray POST stop failed (404)");
    return true;
  }
  emit(id: string, o: Record<string, unknown>) { this.jobs.get(id)!.log += `ETL_EVENT ${JSON.stringify(o)}\n`; }
  print(id: string, line: string) { this.jobs.get(id)!.log += `${line}\n`; }
}

let ray: FakeRay;
const monitor = (config: Record<string, number> = {}) =>
  new RunMonitor({ db: database, client: ray as unknown as RayJobsClient, root, baseDir: dir, config: { ETL_MAX_CONCURRENT_RUNS: 2, ETL_RAY_LOST_AFTER_MS: 60_000, ...config }, log: () => {} });

/** One monitor pass including the submissions it started. */
async function pass(m: RunMonitor): Promise<void> {
  await m.tick();
  await m.drain();
}

const stageEv = (index: number, state: string, rows: number | null, ts: number, nodes: string[]) =>
  ({ type: "stage", ts, stage: `op${index}`, stageIndex: index, nodes, sink: "out", state, rowsOut: rows });

const example = () => JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-runs-"));
  execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", "2000", "--out", path.join(dir, "data", "reviews")]);
  process.env.ETL_BASE_DIR = dir;
  database = createDb(`file:${path.join(dir, "test.db")}`, root);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
  await caller.pipelines.create({ name: "reviews", document: example() });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  ray = new FakeRay();
  await database.run.deleteMany({});
});

describe("runs", () => {
  it("queues a run with its exact version and script, submits it under its own id, and follows it to success", async () => {
    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    let snap = await caller.runs.get({ runId });
    expect(snap).toMatchObject({ state: "queued", trigger: "manual", pipelineVersion: 1, startedBy: "local", durationMs: null });
    const stored = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect(stored.script).toContain("rt.main(PLAN, build)");

    const m = monitor();
    await pass(m);
    const job = ray.jobs.get(runId)!;
    expect(job.req.runtimeEnv?.env_vars).toMatchObject({ ETL_RUN_ID: runId, ETL_BASE_DIR: dir });
    expect((await caller.runs.get({ runId })).state).toBe("submitted");

    job.status = "RUNNING";
    ray.emit(runId, { type: "run-started", ts: 10 });
    ray.emit(runId, stageEv(0, "running", 100, 11, ["read", "ratio", "drop", "keep"]));
    ray.print(runId, "a user print");
    await pass(m);
    snap = await caller.runs.get({ runId });
    expect(snap.state).toBe("running");
    expect(snap.startedAt).toBe(new Date(10_000).toISOString());
    expect(snap.stages).toEqual([expect.objectContaining({ key: "out:0", state: "running", rowsOut: 100, nodes: ["read", "ratio", "drop", "keep"] })]);
    expect(snap.logTail).toBe("a user print");

    ray.emit(runId, stageEv(0, "succeeded", 900, 12, ["read", "ratio", "drop", "keep"]));
    ray.emit(runId, stageEv(1, "succeeded", 900, 13, ["out"]));
    ray.emit(runId, { type: "run-succeeded", ts: 14, rowsWritten: { out: 900 } });
    job.status = "SUCCEEDED";
    job.end = 15_000;
    await pass(m);
    snap = await caller.runs.get({ runId });
    expect(snap).toMatchObject({ state: "succeeded", rowsWritten: { out: 900 }, endedAt: new Date(15_000).toISOString(), error: null });
    expect(snap.stages.map((s) => [s.key, s.state, s.rowsOut])).toEqual([["out:0", "succeeded", 900], ["out:1", "succeeded", 900]]);
    expect((await caller.runs.list({ pipelineId: "reviews" }))[0]).toMatchObject({ id: runId, state: "succeeded" });
  });

  it("a second monitor picks up mid-run at the stored offset: same stages, nothing counted twice", async () => {
    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    const first = monitor();
    await pass(first);
    const job = ray.jobs.get(runId)!;
    job.status = "RUNNING";
    ray.emit(runId, stageEv(0, "running", 50, 1, ["read"]));
    await pass(first);
    // the first monitor dies here; more happens on Ray meanwhile, then the job ends
    ray.emit(runId, stageEv(0, "succeeded", 80, 2, ["read"]));
    ray.emit(runId, stageEv(1, "succeeded", 80, 3, ["out"]));
    ray.emit(runId, { type: "run-succeeded", ts: 4, rowsWritten: { out: 80 } });
    job.status = "SUCCEEDED";
    const second = monitor();
    await pass(second);
    await pass(second);
    await pass(first); // a stale monitor waking up changes nothing either
    const run = await database.run.findUniqueOrThrow({ where: { id: runId }, include: { stages: true } });
    expect(run.state).toBe("succeeded");
    expect(run.eventsOffset).toBe(job.log.length);
    expect(run.stages.map((s) => [s.key, s.state, Number(s.rowsOut), s.startedAt?.getTime()])).toEqual([["out:0", "succeeded", 80, 1000], ["out:1", "succeeded", 80, 3000]]);
  });

  it("keeps runs beyond the concurrency limit queued, and two claimers never exceed it", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await caller.runs.start({ pipelineId: "reviews" })).runId);
    // A second connection as another app process would have. Not createDb: its migration step
    // uses another SQLite build, whose close() would drop this process's locks on the file.
    const other = openDb(`file:${path.join(dir, "test.db")}`, root);
    try {
      const claims = await Promise.all([claimNext(database, 2), claimNext(other, 2), claimNext(database, 2), claimNext(other, 2)]);
      expect(claims.filter(Boolean).sort()).toEqual(ids.slice(0, 2).sort());
    } finally {
      await other.$disconnect();
    }
    expect((await caller.runs.get({ runId: ids[2] })).state).toBe("queued");
  });

  it("fails a run within one pass when Ray is unreachable, and a retry runs once Ray is back", async () => {
    ray.down = true;
    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    const t0 = Date.now();
    await pass(monitor());
    const snap = await caller.runs.get({ runId });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(snap.state).toBe("failed");
    expect(snap.error).toMatchObject({ code: "RAY_UNREACHABLE" });
    expect(snap.error?.message).toMatch(/^Ray is not reachable at http:\/\/127\.0\.0\.1:9 \(connection refused: is Ray running\?\)/);

    ray.down = false;
    const retry = await caller.runs.retry({ runId });
    expect((await caller.runs.get({ runId: retry.runId })).trigger).toBe("retry");
    await pass(monitor());
    expect(ray.jobs.has(retry.runId)).toBe(true);
    expect((await database.run.findUniqueOrThrow({ where: { id: retry.runId } })).retryOf).toBe(runId);
  });

  it("fails a running run whose Ray stays out of reach, with the reason", async () => {
    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    const m = monitor({ ETL_RAY_LOST_AFTER_MS: 50 });
    await pass(m);
    ray.jobs.get(runId)!.status = "RUNNING";
    await pass(m);
    ray.down = true;
    await pass(m);
    expect((await caller.runs.get({ runId })).state).toBe("running");
    await new Promise((r) => setTimeout(r, 80));
    await pass(m);
    const snap = await caller.runs.get({ runId });
    expect(snap.state).toBe("failed");
    expect(snap.error?.code).toBe("RAY_LOST");
    // Ray comes back with the job still running: it is stopped, so it cannot commit behind a failed run
    ray.down = false;
    await new Promise((r) => setTimeout(r, 2_100));
    await pass(m);
    expect(ray.stops).toEqual([runId]);
    ray.jobs.get(runId)!.status = "STOPPED";
    await new Promise((r) => setTimeout(r, 2_100));
    await pass(m);
    expect((await database.run.findUniqueOrThrow({ where: { id: runId } })).rayStatus).toBe("STOPPED");
  });

  it("settles a job that failed with the failing node and the user's line", async () => {
    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    const m = monitor();
    await pass(m);
    const job = ray.jobs.get(runId)!;
    job.status = "RUNNING";
    ray.emit(runId, stageEv(0, "running", 10, 1, ["read", "keep"]));
    ray.emit(runId, stageEv(1, "running", 0, 1, ["out"]));
    ray.emit(runId, stageEv(0, "failed", 10, 2, ["read", "keep"]));
    ray.emit(runId, { type: "run-failed", ts: 3, nodeId: "keep", message: "ValueError: no books today", udfLine: 4, traceback: ["  File \"<udf keep>\", line 4"] });
    job.status = "FAILED";
    job.message = "Job entrypoint command failed with exit code 1";
    await pass(m);
    const snap = await caller.runs.get({ runId });
    expect(snap.state).toBe("failed");
    expect(snap.error).toEqual({ code: "JOB_FAILED", nodeId: "keep", message: "ValueError: no books today", udfLine: 4, traceback: ["  File \"<udf keep>\", line 4"] });
    expect(snap.stages.map((s) => s.state)).toEqual(["failed", "cancelled"]);
  });

  it("a job that failed without a run-failed event carries Ray's message", async () => {
    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    const m = monitor();
    await pass(m);
    Object.assign(ray.jobs.get(runId)!, { status: "FAILED", message: "Job supervisor actor died" });
    await pass(m);
    expect((await caller.runs.get({ runId })).error).toMatchObject({ code: "JOB_FAILED", message: "The Ray job failed: Job supervisor actor died" });
  });

  it("cancels: a queued run at once; a running one by stopping its job, with no staging left", async () => {
    const queued = (await caller.runs.start({ pipelineId: "reviews" })).runId;
    expect(await caller.runs.cancel({ runId: queued })).toEqual({ state: "cancelled" });

    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    const m = monitor();
    await pass(m);
    ray.jobs.get(runId)!.status = "RUNNING";
    await pass(m);
    // a staging dir the killed job could not delete
    const staging = path.join(dir, "out", `.reviews.etl-staging-${runId}`);
    fs.mkdirSync(staging, { recursive: true });
    fs.writeFileSync(path.join(staging, "part-0.parquet"), "partial");
    await database.run.update({ where: { id: runId }, data: { cancelRequested: true } });
    await pass(m);
    expect(ray.stops).toEqual([runId]);
    // the runtime reports the interrupted operators as failed
    ray.emit(runId, stageEv(0, "failed", 10, 2, ["read", "sort"]));
    ray.emit(runId, { type: "run-failed", ts: 3, nodeId: null, message: "cancelled (SIGTERM)", udfLine: null, traceback: [], cancelled: true });
    Object.assign(ray.jobs.get(runId)!, { status: "STOPPED", message: "Job was intentionally stopped." });
    await pass(m);
    const snap = await caller.runs.get({ runId });
    expect(snap).toMatchObject({ state: "cancelled", error: null });
    expect(snap.stages.map((s) => s.state)).toEqual(["cancelled"]);
    expect(fs.existsSync(staging)).toBe(false);
  });

  it("refuses to run an invalid pipeline with its diagnostics, and Run-to-here of a transform", async () => {
    const doc = example();
    doc.nodes.find((n: { id: string }) => n.id === "ratio").params.expression = "helpful_votes / nope";
    await caller.pipelines.create({ name: "broken", document: doc });
    await expect(caller.runs.start({ pipelineId: "broken" })).rejects.toThrow(/problem.* to fix before it can run: ratio: /);
    await expect(caller.runs.start({ pipelineId: "reviews", toNodeId: "sort" })).rejects.toThrow(/Run to here runs a Write node.*'out'/);
    const { runId } = await caller.runs.start({ pipelineId: "reviews", toNodeId: "out" });
    expect((await caller.runs.get({ runId })).toNodeId).toBe("out");
  });

  it("watch yields the current state first and then each change, ending with the final state", async () => {
    const { runId } = await caller.runs.start({ pipelineId: "reviews" });
    const m = monitor();
    const seen: string[] = [];
    const stream = await caller.runs.watch({ runId }); // ends by itself after the final state
    const reading = (async () => {
      for await (const s of stream) seen.push(`${s.state}:${s.stages.map((x) => `${x.state}/${x.rowsOut}`).join(",")}`);
    })();
    await new Promise((r) => setTimeout(r, 100));
    await pass(m);
    await new Promise((r) => setTimeout(r, 400));
    const job = ray.jobs.get(runId)!;
    job.status = "RUNNING";
    ray.emit(runId, stageEv(0, "running", 5, 1, ["read"]));
    await pass(m);
    await new Promise((r) => setTimeout(r, 400));
    ray.emit(runId, stageEv(0, "succeeded", 7, 2, ["read"]));
    job.status = "SUCCEEDED";
    await pass(m);
    await reading;
    expect(seen).toEqual(["queued:", "submitted:", "running:running/5", "succeeded:succeeded/7"]);
  });
});
