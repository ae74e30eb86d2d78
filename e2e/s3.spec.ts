// S3 journeys against moto's S3 server on loopback, started by this spec (IAM enforced): the
// Connections page shows wrong secrets, denied buckets and missing buckets as clear errors and
// per-field mistakes under the field, then saves; a pipeline reading and writing s3:// shows
// footer facts and a preview sampled from S3, browses buckets, runs, and writes what DuckDB
// computes on the same input. No API response the browser got contains a secret.
import fs from "node:fs";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { expect, test, type Page } from "@playwright/test";
import { parquetMetadata } from "hyparquet";
import { s3Client } from "../server/storage/s3";
import { startTestS3, uploadDir, type TestS3 } from "../server/storage/s3-testing";
import { pyJson } from "../server/storage/testing";
import { inspector, nodeEl, previewPanel, seedPipeline, selectNode } from "./canvas-helpers";

test.use({ viewport: { width: 1600, height: 1000 } });
test.describe.configure({ mode: "serial" });

const root = path.resolve(import.meta.dirname, "..");
const reviews = path.join(root, ".cache", "e2e-base", "data", "reviews");
const example = JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
const NAME = `lake${Date.now()}`;
let s3: TestS3;
const bodies: string[] = [];

test.beforeAll(async () => {
  s3 = await startTestS3();
  await uploadDir(s3, reviews, s3.bucket, "data/reviews");
  const admin = s3Client(s3.settings(s3.admin));
  await admin.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "data/notes.txt", Body: "not parquet" }));
  admin.destroy();
});
test.afterAll(async () => {
  await s3?.stop();
});
test.beforeEach(async ({ page }) => {
  page.on("response", async (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) bodies.push(await r.text().catch(() => ""));
  });
});

const form = (page: Page) => page.getByRole("region", { name: /New S3 connection|Edit connection/ });

test("connections page: Test explains wrong keys and bad buckets, a bad name shows under its field, then it saves", async ({ page }) => {
  await page.goto("/connections");
  await page.getByRole("button", { name: "New S3 connection" }).click();
  const f = form(page);
  await f.getByLabel("Name").fill(NAME);
  await f.getByLabel("Endpoint").fill(s3.endpoint);
  await f.getByLabel(/Path-style/).check();
  await f.getByLabel("Access key id").fill(s3.app.accessKeyId);
  await f.getByLabel("Secret access key").fill("wrong-secret");
  await f.getByRole("button", { name: "Test" }).click();
  await expect(f.getByRole("alert", { name: "Connection error" })).toContainText("secret access key is wrong");

  await f.getByLabel("Secret access key").fill(s3.app.secretAccessKey);
  await f.getByRole("button", { name: "Test" }).click();
  await expect(f.getByRole("status")).toContainText(`Connected. 2 buckets: ${[s3.bucket, s3.locked].sort().join(", ")}`);
  await f.getByLabel("Test with bucket (optional)").fill(s3.locked);
  await f.getByRole("button", { name: "Test" }).click();
  await expect(f.getByRole("alert", { name: "Connection error" })).toContainText("Access denied");
  await f.getByLabel("Test with bucket (optional)").fill("no-such-bucket");
  await f.getByRole("button", { name: "Test" }).click();
  await expect(f.getByRole("alert", { name: "Connection error" })).toContainText("bucket does not exist");
  await f.getByLabel("Test with bucket (optional)").fill("");

  await f.getByLabel("Name").fill("1 bad name");
  await f.getByRole("button", { name: "Save" }).click();
  await expect(f.getByText("Start with a letter")).toBeVisible();
  await f.getByLabel("Name").fill(NAME);
  await f.getByRole("button", { name: "Save" }).click();
  const row = page.getByRole("table", { name: "S3 connections" }).getByRole("row", { name: NAME });
  await expect(row).toContainText(s3.endpoint);
  await expect(row).toContainText("access key (stored encrypted)");
  // editing shows no secret: the secret fields start empty
  await row.getByRole("button", { name: "Edit" }).click();
  await expect(form(page).getByLabel("Secret access key")).toHaveValue("");
  await expect(form(page).getByLabel("Access key id")).toHaveValue("");
  expect(await page.content()).not.toContain(s3.app.secretAccessKey);
});

test("a pipeline on S3: footer facts, a preview from S3, the object browser, a run that writes what DuckDB computes", async ({ page, request }) => {
  test.setTimeout(360_000);
  const out = `out/e2e-${Date.now()}`;
  const doc = structuredClone(example);
  for (const n of doc.nodes) {
    if (n.kind === "read-parquet") Object.assign(n.params, { path: `s3://${s3.bucket}/data/reviews`, connection: NAME });
    if (n.kind === "write") Object.assign(n.params, { path: `s3://${s3.bucket}/${out}`, connection: NAME, mode: "overwrite" });
  }
  const id = await seedPipeline(request, `S3 ${Date.now()}`, doc);
  await page.goto(`/pipelines/${id}`);
  await expect(page.getByRole("status", { name: "Save status" })).toHaveText(/^Saved · v\d+/);

  // the read node: facts from the S3 footers, its connection picked
  await selectNode(page, "read");
  await expect(inspector(page).getByLabel("S3 connection")).toHaveValue(NAME);
  await expect(inspector(page).locator(".facts")).toContainText("5,000");
  // its preview samples the S3 source
  const panel = previewPanel(page);
  await expect(panel.getByLabel("Dataset facts")).toContainText("5,000", { timeout: 120_000 });
  await panel.getByRole("tab", { name: "Rows" }).click();
  await expect(panel.getByRole("status", { name: "Preview status" })).toContainText(/\d+ sample rows? \(read [\d,]+ source rows?\)/, { timeout: 120_000 });

  // the write node's object browser lists buckets, then prefixes
  await page.getByRole("button", { name: "Zoom to fit" }).click(); // the panel took height from the canvas
  await selectNode(page, "out");
  await inspector(page).getByRole("button", { name: "Browse S3…" }).click();
  const browser = inspector(page).getByRole("region", { name: "S3 object browser" });
  // it opens where the node writes (not there yet: empty), Up climbs to the bucket, then the buckets
  await expect(browser).toContainText(`s3://${s3.bucket}/${out}`);
  await expect(browser).toContainText("(empty)");
  await browser.getByRole("button", { name: "Up" }).click();
  await browser.getByRole("button", { name: "Up" }).click();
  await expect(browser.getByRole("button", { name: "data/" })).toBeVisible();
  await browser.getByRole("button", { name: "Up" }).click();
  await browser.getByRole("button", { name: `${s3.bucket}/` }).click();
  await expect(browser.getByRole("button", { name: "data/" })).toBeVisible();
  await browser.getByRole("button", { name: "data/" }).click();
  await expect(browser.getByRole("button", { name: "reviews/" })).toBeVisible();
  await browser.getByRole("button", { name: "Close" }).click();

  await page.getByRole("button", { name: "▶ Run", exact: true }).click();
  await expect(page.getByRole("status", { name: "Run state" })).toHaveText("Succeeded", { timeout: 300_000 });

  // what was written (footers of the S3 objects) equals DuckDB on the same local input
  const client = s3Client(s3.settings(s3.admin));
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${out}/` }));
  let written = 0;
  for (const o of listed.Contents ?? []) {
    if (!o.Key!.endsWith(".parquet")) continue;
    const body = await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: o.Key! }))).Body!.transformToByteArray();
    written += Number(parquetMetadata(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer).num_rows);
  }
  const all = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  client.destroy();
  const want = pyJson<number>(
    "import sys, json, duckdb\n" +
    "print(json.dumps(duckdb.sql(f\"SELECT count(*) FROM read_parquet('{sys.argv[1]}/**/*.parquet', hive_partitioning=true) WHERE total_votes > 0 AND marketplace = 'US'\").fetchall()[0][0]))",
    reviews,
  );
  expect(written).toBe(want);
  expect((all.Contents ?? []).filter((o) => /etl-(staging|old)/.test(o.Key!))).toEqual([]);
  await expect(page.getByTestId("run-node-out")).toHaveAttribute("data-rows", String(want));

  // a non-parquet object as the source: a clear error on the read node
  await selectNode(page, "read");
  const p = inspector(page).getByLabel("Path");
  await p.fill(`s3://${s3.bucket}/data/notes.txt`);
  await p.blur();
  await expect(inspector(page)).toContainText("not a parquet file", { timeout: 30_000 });
  await expect(nodeEl(page, "read")).toHaveClass(/has-error/);
});

test("no API response the browser received contains a secret", () => {
  expect(bodies.length).toBeGreaterThan(10);
  for (const secret of [s3.app.secretAccessKey, s3.app.accessKeyId, "wrong-secret"]) {
    expect(bodies.filter((b) => b.includes(secret)), `a response contains ${secret.slice(0, 4)}…`).toEqual([]);
  }
});
