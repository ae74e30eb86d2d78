// Workspaces and the audit trail through the real router on a freshly migrated SQLite database:
// a member of workspace A cannot list, read, save, run, schedule or watch what belongs to B (the
// answer is NOT_FOUND, as for something that does not exist); the local user sees everything;
// every change leaves an audit row with who, what, the version, and for runs the exact script.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_ACTOR, SCHEDULER_ACTOR, type Actor } from "../auth/actor";
import { createDb, type Db } from "../db";
import { Scheduler } from "../scheduler/scheduler";
import { assertSavedDocument } from "../auth/workspace-scope";
import { resetProcessLimiters } from "./rate-limit";
import { PreviewNodeInput } from "./routers/preview";
import { createCaller } from "./root";

const root = path.resolve(__dirname, "../..");
let dir: string;
let database: Db;

const alice: Actor = { id: "u-alice", email: "alice@example.com", name: "Alice", role: "runner", workspaceIds: ["ws-a"] };
const bob: Actor = { id: "u-bob", email: "bob@example.com", name: "Bob", role: "runner", workspaceIds: ["ws-b"] };
const as = (a: Actor) => createCaller({ db: database, actor: a });
const empty = (id: string, name: string) => ({ schemaVersion: 1 as const, id, name, nodes: [], edges: [] });
let bobPipeline: string;
let bobRun: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-workspaces-"));
  // the example reads data/reviews (relative to ETL_BASE_DIR): a small real dataset so runs compile
  execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", "500", "--out", path.join(dir, "data", "reviews")]);
  process.env.ETL_BASE_DIR = dir;
  process.env.ETL_RUN_RATE_LIMIT = "1000/60s";
  resetProcessLimiters();
  database = createDb(`file:${path.join(dir, "test.db")}`, root);
  await database.workspace.createMany({ data: [{ id: "ws-a", name: "Team A" }, { id: "ws-b", name: "Team B" }] });
  await database.user.createMany({ data: [{ id: alice.id, name: "Alice", email: alice.email, role: "runner" }, { id: bob.id, name: "Bob", email: bob.email, role: "runner" }] });
  bobPipeline = (await as(bob).pipelines.create({ name: "Bob's pipeline" })).id;
  bobRun = "run-of-bob";
  await database.run.create({ data: { id: bobRun, pipelineId: bobPipeline, pipelineVersion: 1, document: "{}", script: "print(1)\n", trigger: "manual", state: "failed" } });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.ETL_RUN_RATE_LIMIT;
  resetProcessLimiters();
});

describe("workspaces", () => {
  it("puts a new pipeline in the caller's first workspace, or one of the caller's it names", async () => {
    expect((await as(bob).pipelines.get({ id: bobPipeline })).workspaceId).toBe("ws-b");
    const a = await as(alice).pipelines.create({ name: "Alice's pipeline" });
    expect(a.workspaceId).toBe("ws-a");
    await expect(as(alice).pipelines.create({ name: "Sneaky", workspaceId: "ws-b" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await as(LOCAL_ACTOR).pipelines.create({ name: "Local one" })).workspaceId).toBe("default");
    expect((await as(LOCAL_ACTOR).pipelines.create({ name: "Local in B", workspaceId: "ws-b" })).workspaceId).toBe("ws-b");
    expect(await as(alice).workspaces.mine()).toEqual([{ id: "ws-a", name: "Team A" }]);
    expect((await as(LOCAL_ACTOR).workspaces.mine()).map((w) => w.id).sort()).toEqual(["default", "ws-a", "ws-b"]);
  });

  it("hides another workspace's pipelines, runs and schedules as if they did not exist", async () => {
    const A = as(alice);
    expect((await A.pipelines.list()).map((p) => p.id)).not.toContain(bobPipeline);
    expect((await as(LOCAL_ACTOR).pipelines.list()).map((p) => p.id)).toContain(bobPipeline);
    expect((await as(LOCAL_ACTOR).pipelines.list({ workspaceId: "ws-b" })).every((p) => p.workspaceId === "ws-b")).toBe(true);
    const notFound = { code: "NOT_FOUND" };
    const message = (p: Promise<unknown>) => p.then(() => "found", (e: Error) => e.message);
    const missing = await message(A.pipelines.get({ id: "no-such-pipeline" }));
    const hidden = await message(A.pipelines.get({ id: bobPipeline }));
    expect(hidden).toBe(missing.replace("no-such-pipeline", bobPipeline)); // same answer: existence does not leak
    await expect(A.pipelines.versions({ id: bobPipeline })).rejects.toMatchObject(notFound);
    await expect(A.pipelines.save({ id: bobPipeline, expectedVersion: 1, document: empty(bobPipeline, "hijack") })).rejects.toMatchObject(notFound);
    await expect(A.pipelines.rename({ id: bobPipeline, name: "hijack" })).rejects.toMatchObject(notFound);
    await expect(A.pipelines.duplicate({ id: bobPipeline })).rejects.toMatchObject(notFound);
    await expect(A.pipelines.restore({ id: bobPipeline, version: 1, expectedVersion: 1 })).rejects.toMatchObject(notFound);
    expect(await A.pipelines.delete({ id: bobPipeline })).toEqual({ deleted: false });
    await expect(A.runs.start({ pipelineId: bobPipeline })).rejects.toMatchObject(notFound);
    await expect(A.runs.get({ runId: bobRun })).rejects.toMatchObject(notFound);
    const firstEvent = async (it: AsyncIterable<unknown>) => { for await (const v of it) return v; };
    await expect(A.runs.watch({ runId: bobRun }).then(firstEvent)).rejects.toMatchObject(notFound);
    await expect(A.runs.retry({ runId: bobRun })).rejects.toMatchObject(notFound);
    await expect(A.runs.cancel({ runId: bobRun })).rejects.toMatchObject(notFound);
    await expect(A.dashboard.runSource({ runId: bobRun })).rejects.toMatchObject(notFound);
    await expect(A.dashboard.pipelineStats({ pipelineId: bobPipeline })).rejects.toMatchObject(notFound);
    expect((await A.runs.list()).map((r) => r.id)).not.toContain(bobRun);
    expect((await A.dashboard.runs({})).rows.map((r) => r.id)).not.toContain(bobRun);
    const summary = await A.dashboard.summary();
    expect(summary.counts7d.failed).toBe(0);
    expect(summary.recent.map((r) => r.id)).not.toContain(bobRun);
    await expect(A.schedules.list({ pipelineId: bobPipeline })).rejects.toMatchObject(notFound);
    await expect(A.schedules.create({ pipelineId: bobPipeline, cron: "0 * * * *", timezone: "UTC", enabled: true, overlap: "skip" })).rejects.toMatchObject(notFound);
    const sched = await as(bob).schedules.create({ pipelineId: bobPipeline, cron: "0 * * * *", timezone: "UTC", enabled: true, overlap: "skip" });
    await expect(A.schedules.setEnabled({ id: sched.id, enabled: false })).rejects.toMatchObject(notFound);
    await expect(A.schedules.runNow({ id: sched.id })).rejects.toMatchObject(notFound);
    await expect(A.schedules.delete({ id: sched.id })).rejects.toMatchObject(notFound);
    expect(summary.upcoming.map((u) => u.pipelineId)).not.toContain(bobPipeline);
    await expect(A.webhooks.get({ pipelineId: bobPipeline })).rejects.toMatchObject(notFound);
    await expect(A.webhooks.set({ pipelineId: bobPipeline, url: "https://evil.example.com/x", onSuccess: true })).rejects.toMatchObject(notFound);
    // Bob's own view is whole, and nothing of his changed
    const B = as(bob);
    expect((await B.pipelines.get({ id: bobPipeline })).version).toBe(1);
    expect((await B.runs.get({ runId: bobRun })).state).toBe("failed");
    expect((await B.dashboard.summary()).counts7d.failed).toBe(1);
    expect(await B.schedules.list({ pipelineId: bobPipeline })).toHaveLength(1);
    expect(await database.pipeline.count({ where: { workspaceId: "ws-a", name: { contains: "Bob" } } })).toBe(0);
  });
});

describe("previews below the editor role", () => {
  it("run only the code and parameters an editor saved, of pipelines the viewer sees", async () => {
    const viewer: Actor = { id: "u-vera", email: "vera@example.com", name: "Vera", role: "viewer", workspaceIds: ["ws-a"] };
    const example = JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
    const p = await as(alice).pipelines.create({ name: "Previewed", document: example });
    const saved = (await as(alice).pipelines.get({ id: p.id })).document;
    // the document exactly as the preview endpoint receives it (after its input schema)
    const asSent = (d: unknown) => PreviewNodeInput.parse({ document: d, nodeId: "x" }).document;
    const last = saved.nodes[saved.nodes.length - 1].id;
    const udf = saved.nodes.find((n) => n.kind === "udf-filter")!;
    await expect(assertSavedDocument(database, viewer, asSent(saved), last)).resolves.toBeUndefined();
    // moving nodes or renaming them changes nothing that runs
    const moved = asSent({ ...saved, description: "looked at", nodes: saved.nodes.map((n) => ({ ...n, name: "renamed", position: { x: 5, y: 9 } })) });
    await expect(assertSavedDocument(database, viewer, moved, last)).resolves.toBeUndefined();
    // the viewer's own Python is refused, before the preview runs
    const own = asSent({ ...saved, nodes: saved.nodes.map((n) => (n.id === udf.id ? { ...n, params: { ...n.params, source: "def keep(batch):\n    import os\n    return batch\n" } } : n)) });
    await expect(assertSavedDocument(database, viewer, own, last)).rejects.toMatchObject({ code: "E_FORBIDDEN" });
    await expect(as(viewer).preview.node({ document: own, nodeId: last })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("needs the editor role") });
    // a node upstream of the change still previews: its part is the saved one
    const first = saved.nodes[0].id;
    await expect(assertSavedDocument(database, viewer, own, first)).resolves.toBeUndefined();
    // an old version still previews after an editor saves a new one
    await as(alice).pipelines.save({ id: p.id, expectedVersion: 1, document: own });
    await expect(assertSavedDocument(database, viewer, asSent(saved), last)).resolves.toBeUndefined();
    // another workspace's pipeline is not found
    await expect(assertSavedDocument(database, { ...viewer, workspaceIds: ["ws-b"] }, asSent(saved), last)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("audit trail", () => {
  it("records who saved each version and what each change was, with the run's exact script", async () => {
    const A = as(alice);
    const p = await A.pipelines.create({ name: "Audited", document: JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8")) });
    const got = await A.pipelines.get({ id: p.id });
    expect(await A.pipelines.save({ id: p.id, expectedVersion: 1, document: { ...got.document, description: "v2" } })).toEqual({ version: 2 });
    await A.pipelines.rename({ id: p.id, name: "Audited renamed" });
    await A.pipelines.restore({ id: p.id, version: 1, expectedVersion: 3 });
    const versions = await A.pipelines.versions({ id: p.id });
    expect(versions.map((v) => [v.version, v.savedBy, v.savedByName])).toEqual([[4, alice.id, "Alice"], [3, alice.id, "Alice"], [2, alice.id, "Alice"], [1, alice.id, "Alice"]]);

    const { runId } = await A.runs.start({ pipelineId: p.id });
    const run = await database.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.startedBy).toBe(alice.id);
    expect((await A.runs.get({ runId })).startedByName).toBe("Alice");
    await A.runs.cancel({ runId });

    const trail = await as(LOCAL_ACTOR).audit.list({ pipelineId: p.id });
    expect(trail.rows.map((r) => [r.action, r.actorId, r.actorEmail, r.version])).toEqual([
      ["run.cancel", alice.id, alice.email, 4],
      ["run.start", alice.id, alice.email, 4],
      ["pipeline.restore", alice.id, alice.email, 4],
      ["pipeline.rename", alice.id, alice.email, 3],
      ["pipeline.save", alice.id, alice.email, 2],
      ["pipeline.import", alice.id, alice.email, 1],
    ]);
    const start = trail.rows.find((r) => r.action === "run.start")!;
    expect(start.runId).toBe(runId);
    expect(start.script).toBe(run.script);
    expect(start.script).toContain("import ray");
    expect(start.workspaceId).toBe("ws-a");
    expect(trail.rows.find((r) => r.action === "pipeline.rename")!.detail).toEqual({ from: "Audited", to: "Audited renamed" });
  });

  it("filters by actor and action and pages with a cursor, newest first", async () => {
    const L = as(LOCAL_ACTOR);
    const all = await L.audit.list({ limit: 200 });
    expect(all.nextCursor).toBeNull();
    const ids = all.rows.map((r) => r.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const first = await L.audit.list({ limit: 2 });
    const second = await L.audit.list({ limit: 2, cursor: first.nextCursor! });
    expect([...first.rows, ...second.rows].map((r) => r.id)).toEqual(ids.slice(0, 4));
    const bobs = await L.audit.list({ actorId: bob.id });
    expect(bobs.rows.length).toBeGreaterThan(0);
    expect(bobs.rows.every((r) => r.actorId === bob.id)).toBe(true);
    const creates = await L.audit.list({ action: "pipeline.create" });
    expect(creates.rows.every((r) => r.action === "pipeline.create")).toBe(true);
    expect(creates.rows.map((r) => r.actorId)).toEqual(expect.arrayContaining([alice.id, bob.id, LOCAL_ACTOR.id]));
  });

  it("records schedule, webhook and connection changes without secrets", async () => {
    const L = as(LOCAL_ACTOR);
    const s = await as(bob).schedules.create({ pipelineId: bobPipeline, cron: "0 6 * * *", timezone: "UTC", enabled: true, overlap: "queue" });
    await as(bob).schedules.setEnabled({ id: s.id, enabled: false });
    await as(bob).schedules.delete({ id: s.id });
    await as(bob).webhooks.set({ pipelineId: bobPipeline, url: "https://hooks.example.com/services/T0/B0/topsecret", onSuccess: false });
    await as(bob).webhooks.remove({ pipelineId: bobPipeline });
    const c = await L.connections.create({ name: "minio", auth: "keys", accessKeyId: "AKIAEXAMPLEKEY", secretAccessKey: "wJalrXUtnFEMI-secret" });
    await L.connections.update({ id: c.id, values: { name: "minio2", auth: "keys" } });
    await L.connections.delete({ id: c.id });
    const rows = (await L.audit.list({ limit: 200 })).rows;
    const actions = rows.map((r) => r.action);
    for (const a of ["schedule.create", "schedule.disable", "schedule.delete", "webhook.set", "webhook.delete", "connection.create", "connection.update", "connection.delete"]) expect(actions).toContain(a);
    const text = JSON.stringify(rows);
    expect(text).not.toContain("topsecret");
    expect(text).not.toContain("AKIAEXAMPLEKEY");
    expect(text).not.toContain("wJalrXUtnFEMI");
    expect(rows.find((r) => r.action === "connection.create")!.detail).toMatchObject({ name: "minio", secretsChanged: true });
    expect(rows.find((r) => r.action === "webhook.set")!.detail).toEqual({ url: "https://hooks.example.com/…", onSuccess: false });
  });

  it("records a scheduled run as the scheduler, with the script and the schedule", async () => {
    const p = await as(LOCAL_ACTOR).pipelines.create({ name: "Scheduled", document: JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8")) });
    let clock = new Date("2026-06-01T00:00:00Z");
    const s = await as(LOCAL_ACTOR).schedules.create({ pipelineId: p.id, cron: "0 * * * *", timezone: "UTC", enabled: true, overlap: "queue" });
    await database.schedule.update({ where: { id: s.id }, data: { nextFireAt: new Date("2026-06-01T01:00:00Z") } });
    clock = new Date("2026-06-01T01:00:05Z");
    const fired = await new Scheduler({ db: database, now: () => clock, log: () => {} }).tick();
    const runId = fired.find((f) => f.scheduleId === s.id)?.runId;
    expect(runId).toBeTruthy();
    const row = (await as(LOCAL_ACTOR).audit.list({ pipelineId: p.id, action: "run.start" })).rows[0];
    const run = await database.run.findUniqueOrThrow({ where: { id: runId! } });
    expect(row).toMatchObject({ actorId: SCHEDULER_ACTOR.id, runId, version: 1, script: run.script });
    expect(row.detail).toMatchObject({ trigger: "schedule", scheduleId: s.id, slot: "2026-06-01T01:00:00.000Z" });
  });
});
