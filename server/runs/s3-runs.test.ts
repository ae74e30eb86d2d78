// Runs of pipelines on S3 (real SQLite, moto's S3 server on loopback): the connection's
// settings reach the job sealed in its runtime_env, with the key as a file of its package —
// neither alone reveals a secret, and no stored script, document or run column holds any; a
// run naming a connection that was deleted meanwhile fails with a clear error and is not
// submitted; an unknown connection is refused at start.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../api/root";
import { createDb, type Db } from "../db";
import type { RayJobInfo, RayJobsClient, SubmitRequest } from "../runner/ray-jobs";
import { startTestS3, uploadDir, type TestS3 } from "../storage/s3-testing";
import { genReviews, REPO_ROOT, tempDir } from "../storage/testing";
import { S3_CONNECTIONS_KEY_FILE, unseal } from "../connections/job-env";
import { RunMonitor } from "./monitor";
import { LOCAL_ACTOR } from "../auth/actor";

/** The stored (uncompressed) entries of a job package zip. */
function zipEntries(zip: Uint8Array): Map<string, Buffer> {
  const b = Buffer.from(zip);
  const out = new Map<string, Buffer>();
  for (let i = 0; i + 30 <= b.length && b.readUInt32LE(i) === 0x04034b50;) {
    const size = b.readUInt32LE(i + 18);
    const nameLen = b.readUInt16LE(i + 26);
    const extra = b.readUInt16LE(i + 28);
    const name = b.subarray(i + 30, i + 30 + nameLen).toString("utf8");
    const start = i + 30 + nameLen + extra;
    out.set(name, b.subarray(start, start + size));
    i = start + size;
  }
  return out;
}

let s3: TestS3;
let tmp: ReturnType<typeof tempDir>;
let database: Db;
let caller: ReturnType<typeof createCaller>;

/** Records submissions; Ray itself is not what these tests are about. */
class RecordingRay {
  readonly address = "http://127.0.0.1:9";
  readonly submitted: SubmitRequest[] = [];
  readonly packages: Uint8Array[] = [];
  async uploadPackage(zip: Uint8Array) { this.packages.push(zip); return "gcs://_ray_pkg_x.zip"; }
  async submit(req: SubmitRequest) { this.submitted.push(req); return { submission_id: req.submissionId }; }
  async get(id: string): Promise<RayJobInfo | null> { return { submission_id: id, job_id: null, status: "PENDING", message: null }; }
  async logs() { return ""; }
  async stop() { return true; }
}

beforeAll(async () => {
  process.env.ETL_SECRET_KEY = "33".repeat(32);
  tmp = tempDir("etl-s3runs-");
  s3 = await startTestS3();
  genReviews(path.join(tmp.dir, "reviews"), 1000);
  await uploadDir(s3, path.join(tmp.dir, "reviews"), s3.bucket, "data/reviews");
  database = createDb(`file:${path.join(tmp.dir, "test.db")}`, REPO_ROOT);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
}, 120_000);
afterAll(async () => {
  await database?.$disconnect();
  await s3?.stop();
  tmp?.cleanup();
});

async function s3Pipeline(name: string, connection: string) {
  const { readFileSync } = await import("node:fs");
  const doc = JSON.parse(readFileSync(path.join(REPO_ROOT, "examples/reviews.pipeline.json"), "utf8"));
  for (const n of doc.nodes) {
    if (n.kind === "read-parquet") Object.assign(n.params, { path: `s3://${s3.bucket}/data/reviews`, connection });
    if (n.kind === "write") Object.assign(n.params, { path: `s3://${s3.bucket}/out/${name}`, connection, mode: "overwrite" });
  }
  return (await caller.pipelines.create({ name, document: doc })).id;
}

describe("runs on S3", () => {
  it("passes the connection to the job sealed in its runtime_env, the key in its package, nowhere else", async () => {
    const conn = await caller.connections.create({ name: "lake", region: "us-east-1", endpoint: s3.endpoint, pathStyle: true, auth: "keys", ...s3.app });
    const pipelineId = await s3Pipeline("s3run", "lake");
    const { runId } = await caller.runs.start({ pipelineId });
    const ray = new RecordingRay();
    const m = new RunMonitor({ db: database, client: ray as unknown as RayJobsClient, root: REPO_ROOT, baseDir: tmp.dir, config: { ETL_MAX_CONCURRENT_RUNS: 2, ETL_RAY_LOST_AFTER_MS: 60_000 }, log: () => {} });
    await m.tick();
    await m.drain();
    expect(ray.submitted).toHaveLength(1);
    const envVars = ray.submitted[0].runtimeEnv!.env_vars!;
    expect(envVars.ETL_S3_CONNECTIONS).toBeUndefined();
    const pad = zipEntries(ray.packages[0]).get(S3_CONNECTIONS_KEY_FILE)!.toString("utf8");
    expect(JSON.parse(unseal(envVars.ETL_S3_CONNECTIONS_SEALED, pad))).toEqual({
      lake: { region: "us-east-1", endpoint: s3.endpoint, pathStyle: true, accessKeyId: s3.app.accessKeyId, secretAccessKey: s3.app.secretAccessKey, sessionToken: null },
    });
    const secrets = [s3.app.secretAccessKey, s3.app.accessKeyId];
    expect(JSON.stringify(ray.submitted[0].runtimeEnv)).not.toContain(s3.app.secretAccessKey); // Ray logs runtime_envs
    expect(JSON.stringify(ray.submitted[0].runtimeEnv)).not.toContain(s3.app.accessKeyId);
    expect(Buffer.from(ray.packages[0]).includes(s3.app.secretAccessKey)).toBe(false);
    const row = await database.run.findUniqueOrThrow({ where: { id: runId } });
    const outside = [JSON.stringify(row), JSON.stringify(await caller.runs.get({ runId })), JSON.stringify(await caller.runs.list({})), ray.submitted[0].entrypoint, JSON.stringify(ray.submitted[0].metadata)];
    for (const text of outside) for (const s of secrets) expect(text).not.toContain(s);
    expect(row.script).toContain('filesystem=rt.filesystem("lake")');
    expect(row.script).toContain('connection="lake"');

    // the connection is deleted before the next run is submitted: a clear failure, nothing submitted
    const second = (await caller.runs.start({ pipelineId })).runId;
    await caller.connections.delete({ id: conn.id });
    await m.tick();
    await m.drain();
    const failed = await caller.runs.get({ runId: second });
    expect(failed.state).toBe("failed");
    expect(failed.error?.message ?? "").toMatch(/S3 connection 'lake', which does not exist/);
    expect(ray.submitted).toHaveLength(1);
  });

  it("refuses to start a run whose nodes name an unknown connection, pinned to the nodes", async () => {
    const pipelineId = await s3Pipeline("ghost", "ghost");
    await expect(caller.runs.start({ pipelineId })).rejects.toMatchObject({ cause: { code: "PIPELINE_INVALID", diagnostics: expect.arrayContaining([expect.objectContaining({ code: "E_CONNECTION_UNKNOWN", nodeId: "read" })]) } });
  });
});
