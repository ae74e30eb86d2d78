// Leftover S3 staging of a run killed hard is removed by the monitor; the output and other
// runs' staging stay. Against moto's S3 server on loopback.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAll, s3Client } from "../storage/s3";
import { startTestS3, type TestS3 } from "../storage/s3-testing";
import { cleanupS3Staging } from "./cleanup-s3";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
}, 60_000);
afterAll(async () => {
  await s3?.stop();
});

const doc = (path: string) => JSON.stringify({
  schemaVersion: 1, id: "p", name: "p",
  nodes: [
    { id: "read", kind: "read-parquet", params: { path: "data/x" } },
    { id: "out", kind: "write", params: { path, connection: "lake", mode: "overwrite" } },
  ],
  edges: [{ source: "read", target: "out" }],
});

describe("cleanupS3Staging", () => {
  it("deletes only the run's staging objects beside its S3 targets", async () => {
    const client = s3Client(s3.settings(s3.admin));
    const keys = ["c/out/part-0.parquet", "c/.out.etl-staging-run1/a.parquet", "c/.out.etl-staging-run1/sub/b.parquet", "c/.out.etl-staging-run2/a.parquet", "c/.other"];
    for (const Key of keys) await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: "x" }));
    const connections = { names: async () => ["lake"], settings: async (n: string) => (n === "lake" ? s3.settings() : null) };
    const removed = await cleanupS3Staging(doc(`s3://${s3.bucket}/c/out`), "run1", connections);
    expect(removed.sort()).toEqual([`s3://${s3.bucket}/c/.out.etl-staging-run1/a.parquet`, `s3://${s3.bucket}/c/.out.etl-staging-run1/sub/b.parquet`]);
    expect((await listAll(client, s3.bucket, "c/")).map((o) => o.Key).sort()).toEqual(["c/.other", "c/.out.etl-staging-run2/a.parquet", "c/out/part-0.parquet"]);
    expect(await cleanupS3Staging(doc("out/local"), "run1", connections)).toEqual([]);
    client.destroy();
  });
});
