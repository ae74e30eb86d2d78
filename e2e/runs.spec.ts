// Runs from the canvas against the real app and its local Ray: the acceptance pipeline runs
// with every node going through running to succeeded and row counts that match the written
// files, and the run is listed with its duration; a UDF that raises fails the run at its node
// and line and leaves the previous output untouched; Cancel during the sort stops the job
// within seconds and leaves no output. Pipelines are seeded through the API.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { parquetMetadata } from "hyparquet";
import { seedPipeline } from "./canvas-helpers";

test.use({ viewport: { width: 1600, height: 1000 } });

const root = path.resolve(import.meta.dirname, "..");
const baseDir = path.join(root, ".cache", "e2e-base");
const example = JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
const NODES = ["read", "ratio", "drop", "sort", "flag", "keep", "out"];

const KEEP = (sleep: number, body = 'return (batch["total_votes"] > 0) & (batch["marketplace"] == "US")') =>
  `import time\ndef keep(batch):\n    time.sleep(${sleep})\n    ${body}\n`;
const FLAG_SLOW = 'import time\ndef compute(batch):\n    time.sleep(0.02)\n    return batch["total_votes"] < 100\n';
const BAD_KEEP =
  'def keep(batch):\n    mask = batch["total_votes"] > 0\n    if (batch["product_category"] == "Books").any():\n        raise ValueError("no books today")\n    return mask\n';

function pipelineDoc(out: string, params: { keep?: string; flag?: string } = {}) {
  const doc = structuredClone(example);
  for (const n of doc.nodes) {
    if (n.id === "out") Object.assign(n.params, { path: out, mode: "overwrite" });
    if (n.id === "keep" && params.keep) n.params.source = params.keep;
    if (n.id === "flag" && params.flag) n.params.source = params.flag;
  }
  return doc;
}

async function trpcQuery<T>(request: APIRequestContext, proc: string, input: unknown): Promise<T> {
  const res = await request.get(`/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}
async function trpcMutation<T>(request: APIRequestContext, proc: string, input: unknown): Promise<T> {
  const res = await request.post(`/api/trpc/${proc}`, { data: input });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** Rows in the parquet files under `dir`, from their footers (independent of the app). */
async function parquetRows(dir: string): Promise<number> {
  let rows = 0;
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".parquet") ? [path.join(d, e.name)] : []);
  for (const f of walk(dir)) {
    const buf = fs.readFileSync(f);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    rows += Number(parquetMetadata(ab).num_rows);
  }
  return rows;
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash("sha256").update(fs.readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

const leftovers = (out: string) =>
  fs.readdirSync(path.dirname(out)).filter((n) => n.startsWith(`.${path.basename(out)}.etl-`));

const runNode = (page: Page, id: string) => page.getByTestId(`run-node-${id}`);
const runState = (page: Page) => page.getByRole("status", { name: "Run state" });

async function openEditor(page: Page, id: string) {
  await page.goto(`/pipelines/${id}`);
  await expect(page.getByRole("status", { name: "Save status" })).toHaveText(/^Saved · v\d+/);
}

test("runs the acceptance pipeline from the canvas: every node runs and succeeds, rows match the output", async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);
  const out = `out/e2e-run-${Date.now()}`;
  const id = await seedPipeline(request, `Run ${Date.now()}`, pipelineDoc(out, { keep: KEEP(0.5), flag: FLAG_SLOW }));
  await openEditor(page, id);

  await page.getByRole("button", { name: "▶ Run", exact: true }).click();
  await expect(runState(page)).toHaveText(/Submitted|Running/);
  await expect(runState(page)).toHaveText("Running", { timeout: 120_000 });
  // the canvas lights up while Ray works
  await expect(page.locator('[data-testid^="run-node-"][data-state="running"]').first()).toBeVisible({ timeout: 120_000 });
  await expect(runState(page)).toHaveText("Succeeded", { timeout: 240_000 });

  for (const n of NODES) {
    await expect(runNode(page, n)).toHaveAttribute("data-state", "succeeded");
    await expect(runNode(page, n), `node ${n} never showed running`).toHaveAttribute("data-seen", /\brunning\b.*\bsucceeded\b/);
  }
  // rows: what the write node and the edges show is what the files hold
  const written = await parquetRows(path.join(baseDir, out));
  expect(written).toBeGreaterThan(0);
  await expect(runNode(page, "out")).toHaveAttribute("data-rows", String(written));
  await expect(runNode(page, "flag")).toHaveAttribute("data-rows", String(written));
  await expect(runNode(page, "out")).toContainText(`${written.toLocaleString("en-US")} rows`);
  await expect(runNode(page, "out")).toContainText("%"); // share of the 5,000 source rows
  await expect(page.getByTestId("run-edge-keep-out")).toHaveText(`${written.toLocaleString("en-US")} rows`);
  // read, add-column, drop-columns and the filter ran fused as one Ray stage
  await expect(page.locator('[data-testid^="run-fused-"]').first()).toContainText("one Ray stage");
  await page.screenshot({ path: testInfo.outputPath("run-succeeded.png") });

  // the run is listed with its duration
  await page.getByRole("tab", { name: "Runs" }).click();
  const list = page.getByRole("table", { name: "Runs" });
  await expect(list.getByRole("row")).toHaveCount(2);
  await expect(list.getByRole("row").nth(1)).toContainText("Succeeded");
  await expect(list.getByRole("cell", { name: /^Duration of / })).toHaveText(/^\d+(\.\d)? s$|^\d+ min \d\d s$/);

  // reopening the page replays the finished run from the database
  const runId = (await page.locator("code.run-id").textContent())!;
  await page.goto(`/pipelines/${id}?run=${runId}`);
  await expect(runState(page)).toHaveText("Succeeded");
  await expect(runNode(page, "out")).toHaveAttribute("data-rows", String(written));
  for (const n of NODES) await expect(runNode(page, n)).toHaveAttribute("data-state", "succeeded");
});

test("a UDF that raises fails the run at its node and line; the previous output is untouched", async ({ page, request }) => {
  test.setTimeout(300_000);
  const out = `out/e2e-fail-${Date.now()}`;
  const id = await seedPipeline(request, `Failing ${Date.now()}`, pipelineDoc(out));
  // a good run first, through the API, so there is output to protect
  const { runId } = await trpcMutation<{ runId: string }>(request, "runs.start", { pipelineId: id });
  await expect.poll(async () => (await trpcQuery<{ state: string }>(request, "runs.get", { runId })).state, { timeout: 240_000 }).toBe("succeeded");
  const before = snapshot(path.join(baseDir, out));
  expect(Object.keys(before).length).toBeGreaterThan(0);
  // then the UDF breaks (a new saved version)
  const p = await trpcQuery<{ version: number; document: { nodes: { id: string; params: Record<string, unknown> }[] } }>(request, "pipelines.get", { id });
  const doc = structuredClone(p.document);
  doc.nodes.find((n) => n.id === "keep")!.params.source = BAD_KEEP;
  await trpcMutation(request, "pipelines.save", { id, expectedVersion: p.version, document: doc });

  await openEditor(page, id);
  await page.getByRole("button", { name: "▶ Run", exact: true }).click();
  await expect(runState(page)).toHaveText("Failed", { timeout: 240_000 });
  await expect(runNode(page, "keep")).toHaveAttribute("data-state", "failed");
  const error = page.getByRole("alert", { name: "Run error" });
  await expect(error).toContainText("no books today");
  await error.getByRole("button", { name: "keep, line 4" }).click();
  await expect(page.getByRole("complementary", { name: "Inspector" }).locator(".node-id")).toHaveText("keep");
  await expect.poll(() => page.evaluate(() => document.getSelection()?.toString() ?? "")).toContain('raise ValueError("no books today")');

  expect(snapshot(path.join(baseDir, out))).toEqual(before);
  expect(leftovers(path.join(baseDir, out))).toEqual([]);
});

test("Cancel during the sort stops the job within seconds and leaves no output", async ({ page, request }) => {
  test.setTimeout(420_000);
  const out = `out/e2e-cancel-${Date.now()}`;
  const id = await seedPipeline(request, `Cancel ${Date.now()}`, pipelineDoc(out, { keep: KEEP(1.5) }));
  await openEditor(page, id);
  await page.getByRole("button", { name: "▶ Run", exact: true }).click();
  await expect(runNode(page, "sort")).toHaveAttribute("data-state", "running", { timeout: 240_000 });

  const t0 = Date.now();
  await page.getByRole("button", { name: "■ Cancel" }).click();
  await expect(runState(page)).toHaveText("Cancelled", { timeout: 30_000 });
  expect(Date.now() - t0).toBeLessThan(15_000);
  await expect(page.getByText("Cancelled: the Ray job was stopped and nothing was written.")).toBeVisible();
  await expect(runNode(page, "sort")).toHaveAttribute("data-state", "cancelled");

  const runId = (await page.locator("code.run-id").textContent())!;
  const run = await trpcQuery<{ state: string; rayStatus: string }>(request, "runs.get", { runId });
  expect(run).toMatchObject({ state: "cancelled", rayStatus: "STOPPED" });
  expect(fs.existsSync(path.join(baseDir, out))).toBe(false);
  expect(leftovers(path.join(baseDir, out))).toEqual([]);
});
