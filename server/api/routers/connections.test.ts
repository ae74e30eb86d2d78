// Connections router through a tRPC caller on a real SQLite database and moto's S3 server on
// loopback (IAM enforced): secrets are encrypted at rest and never returned; the Test button and
// the object browser map S3's errors to stable codes; s3:// sources get footer facts that match
// pyarrow reading the same files.
import fs from "node:fs";
import path from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db";
import { s3Client } from "../../storage/s3";
import { startTestS3, uploadDir, type TestS3 } from "../../storage/s3-testing";
import { genReviews, pyJson, REPO_ROOT, tempDir } from "../../storage/testing";
import { createCaller } from "../root";
import { LOCAL_ACTOR } from "../../auth/actor";

const SECRET = "sEcReT-value-7d1f0c";
let s3: TestS3;
let database: Db;
let caller: ReturnType<typeof createCaller>;
let tmp: ReturnType<typeof tempDir>;
let local: string;

beforeAll(async () => {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.ETL_SECRET_KEY = "11".repeat(32);
  tmp = tempDir("etl-connections-");
  s3 = await startTestS3();
  database = createDb(`file:${path.join(tmp.dir, "test.db")}`, REPO_ROOT);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
  local = path.join(tmp.dir, "reviews");
  genReviews(local, 3000);
  await uploadDir(s3, local, s3.bucket, "data/reviews");
  await uploadDir(s3, local, s3.bucket, "private/reviews");
  const admin = s3Client(s3.settings(s3.admin));
  await admin.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "data/notes.txt", Body: "not parquet at all" }));
  admin.destroy();
}, 120_000);

afterAll(async () => {
  await database?.$disconnect();
  await s3?.stop();
  tmp?.cleanup();
});

const form = (over: object = {}) => ({
  name: "lake", region: "us-east-1", endpoint: s3.endpoint, pathStyle: true, auth: "keys" as const,
  accessKeyId: s3.app.accessKeyId, secretAccessKey: s3.app.secretAccessKey, ...over,
});

async function appCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { cause?: { code?: string } }).cause?.code ?? String(e);
  }
  throw new Error("expected the call to fail");
}

describe("connections router", () => {
  it("stores secrets encrypted and never returns them", async () => {
    const created = await caller.connections.create(form({ name: "secretive", accessKeyId: "AKIA-" + SECRET, secretAccessKey: SECRET, sessionToken: SECRET + "-tok" }));
    expect(Object.keys(created).sort()).toEqual(["auth", "endpoint", "hasSecrets", "id", "name", "pathStyle", "region", "updatedAt"]);
    const everything = JSON.stringify([created, await caller.connections.list()]);
    expect(everything).not.toContain(SECRET);
    const row = await database.connection.findUniqueOrThrow({ where: { name: "secretive" } });
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row.secrets).toMatch(/^v1\./);
    await caller.connections.delete({ id: created.id });
    expect((await caller.connections.list()).map((c) => c.name)).not.toContain("secretive");
  });

  it("rejects a duplicate name and bad fields per field", async () => {
    await caller.connections.create(form());
    expect(await appCode(caller.connections.create(form()))).toBe("CONFLICT");
    await expect(caller.connections.create(form({ name: "1 bad name", endpoint: "not a url" }))).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await appCode(caller.connections.create(form({ name: "nokeys", accessKeyId: "", secretAccessKey: "" })))).toBe("BAD_INPUT");
  });

  it("updates without resending secrets (the stored ones are kept)", async () => {
    const lake = (await caller.connections.list()).find((c) => c.name === "lake")!;
    await caller.connections.update({ id: lake.id, values: form({ region: "eu-west-1", accessKeyId: undefined, secretAccessKey: undefined }) });
    const r = await caller.connections.test({ id: lake.id });
    expect(r.buckets).toEqual([s3.bucket, s3.locked].sort());
    await caller.connections.update({ id: lake.id, values: form() });
  });

  it("Test lists buckets and prefixes, and maps S3 errors to clear codes", async () => {
    expect((await caller.connections.test({ values: form() })).buckets).toContain(s3.bucket);
    const listed = await caller.connections.test({ values: form(), bucket: s3.bucket, prefix: "data" });
    expect(listed.prefixes).toEqual(["data/reviews/"]);
    expect(listed.objects).toEqual([{ key: "data/notes.txt", size: 18 }]);
    expect(await appCode(caller.connections.test({ values: form({ accessKeyId: "AKIANOTAKEY0000" }) }))).toBe("S3_BAD_CREDENTIALS");
    expect(await appCode(caller.connections.test({ values: form({ secretAccessKey: "wrong" }) }))).toBe("S3_BAD_CREDENTIALS");
    expect(await appCode(caller.connections.test({ values: form(), bucket: "no-such-bucket" }))).toBe("S3_NO_SUCH_BUCKET");
    expect(await appCode(caller.connections.test({ values: form(), bucket: s3.locked }))).toBe("S3_ACCESS_DENIED");
    await expect(caller.connections.test({ values: form({ secretAccessKey: "wrong" }) })).rejects.toThrow(/secret access key is wrong/);
  });

  it("browses a dataset prefix and says it can be read", async () => {
    const r = await caller.connections.browse({ connection: "lake", bucket: s3.bucket, prefix: "data/reviews/" });
    expect(r.parquetHere).toBe(true);
    expect(r.prefixes.length).toBeGreaterThan(1);
  });
});

describe("s3:// sources", () => {
  it("facts from footers match pyarrow reading the same files", async () => {
    const r = await caller.sources.facts({ path: `s3://${s3.bucket}/data/reviews`, connection: "lake" });
    if (!r.ok) throw new Error(r.message);
    const oracle = pyJson<{ rows: number; names: string[]; files: number; bytes: number }>(
      "import sys, json, os, pyarrow.dataset as ds\n" +
      "d = ds.dataset(sys.argv[1], format='parquet', partitioning='hive')\n" +
      "print(json.dumps({'rows': d.count_rows(), 'names': d.schema.names, 'files': len(d.files), 'bytes': sum(os.path.getsize(f) for f in d.files)}))",
      local,
    );
    expect(r.facts.numRows).toBe(oracle.rows);
    expect(r.facts.schema.map((c) => c.name)).toEqual(oracle.names);
    expect(r.facts.files).toBe(oracle.files);
    expect(r.facts.sizeBytes).toBe(oracle.bytes);
    expect(r.facts.partitionKeys).toEqual(["product_category"]);
  });

  it("reports a missing bucket, a denied prefix, a non-parquet object and an unknown connection on the source", async () => {
    const inspect = (p: string, connection = "lake") => caller.sources.inspect({ path: p, connection });
    expect(await inspect("s3://no-such-bucket/x")).toMatchObject({ ok: false, code: "E_SOURCE_NOT_FOUND", message: expect.stringMatching(/Bucket 'no-such-bucket' does not exist/) });
    expect(await inspect(`s3://${s3.bucket}/private/reviews`)).toMatchObject({ ok: false, message: expect.stringMatching(/Access denied/) });
    expect(await inspect(`s3://${s3.bucket}/data/notes.txt`)).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE", message: expect.stringMatching(/not a parquet file/) });
    expect(await inspect(`s3://${s3.bucket}/data/nothing-here`)).toMatchObject({ ok: false, code: "E_SOURCE_NOT_FOUND" });
    expect(await inspect(`s3://${s3.bucket}/data/reviews`, "nope")).toMatchObject({ ok: false, message: expect.stringMatching(/no S3 connection named 'nope'/) });
  });

  it("pipelines.check pins S3 problems to the read node", async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "examples/reviews.pipeline.json"), "utf8"));
    for (const n of doc.nodes) if (n.kind === "read-parquet") n.params = { ...n.params, path: `s3://${s3.bucket}/data/notes.txt`, connection: "lake" };
    const r = await caller.pipelines.check({ document: doc });
    expect(r.diagnostics.find((d) => d.nodeId === "read")).toMatchObject({ code: "E_SOURCE_UNREADABLE", field: "path" });
    for (const n of doc.nodes) if (n.kind === "read-parquet") n.params.connection = "ghost";
    const r2 = await caller.pipelines.check({ document: doc });
    expect(r2.diagnostics.find((d) => d.nodeId === "read")).toMatchObject({ code: "E_CONNECTION_UNKNOWN", field: "connection" });
  });
});
