// The dashboard journey against the real app, its scheduler and its local Ray: create a
// schedule (a bad cron or time zone is refused under its field, nothing saved; the next fire
// times show while typing), "Run now", watch the run on the dashboard go from running to
// succeeded, open its detail with the stage timeline and script, and filter the runs table.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { seedPipeline } from "./canvas-helpers";

test.use({ viewport: { width: 1440, height: 1000 } });

const root = path.resolve(import.meta.dirname, "..");
const example = JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
// a UDF that sleeps a little per batch, so the run stays "running" long enough to be seen
const KEEP = 'import time\ndef keep(batch):\n    time.sleep(0.5)\n    return (batch["total_votes"] > 0) & (batch["marketplace"] == "US")\n';

function pipelineDoc(out: string) {
  const doc = structuredClone(example);
  for (const n of doc.nodes) {
    if (n.id === "out") Object.assign(n.params, { path: out, mode: "overwrite" });
    if (n.id === "keep") n.params.source = KEEP;
  }
  return doc;
}

test("schedule a pipeline, run it now, watch it on the dashboard, open its timeline, filter the runs table", async ({ page, request }, testInfo) => {
  test.setTimeout(360_000);
  const name = `Dashboard ${Date.now()}`;
  const id = await seedPipeline(request, name, pipelineDoc(`out/e2e-dashboard-${Date.now()}`));

  // --- the pipelines list leads to the schedules page -------------------------------------------
  await page.goto("/pipelines");
  await page.getByRole("link", { name: `Schedules of ${name}` }).click();
  await expect(page.getByRole("heading", { name: `Schedules · ${name}` })).toBeVisible();
  await expect(page.getByText("No schedules yet.")).toBeVisible();

  // --- the form: errors under their field, nothing saved; next fire times while typing ---------
  await page.getByRole("button", { name: "New schedule" }).click();
  const form = page.getByRole("form", { name: "New schedule" });
  const cron = form.getByLabel("Cron expression");
  const zone = form.getByLabel("Time zone");
  await cron.fill("61 * * * *");
  await expect(form.getByRole("alert")).toHaveText("Invalid cron expression: Invalid value for minute: 61");
  await expect(cron).toHaveAttribute("aria-invalid", "true");
  await form.getByRole("button", { name: "Create schedule" }).click();
  await expect(form.getByRole("alert")).toHaveText("Invalid cron expression: Invalid value for minute: 61");

  await cron.fill("0 6 * * 1-5");
  await zone.fill("Europe/Springfield");
  await expect(form.getByRole("alert")).toHaveText(/^Unknown time zone 'Europe\/Springfield'/);
  await form.getByRole("button", { name: "Create schedule" }).click();
  await expect(form.getByRole("alert")).toHaveText(/^Unknown time zone 'Europe\/Springfield'/);
  await expect(page.getByRole("table", { name: "Schedules" })).toHaveCount(0); // nothing was saved

  await zone.fill("Europe/Berlin");
  const next = form.getByRole("region", { name: "Next fire times" });
  await expect(next).toContainText("At 06:00, Monday to Friday");
  await expect(next.getByRole("listitem")).toHaveCount(5);
  for (const item of await next.getByRole("listitem").all()) await expect(item).toHaveText(/^(Mon|Tue|Wed|Thu|Fri)\b.* 06:00 \(Europe\/Berlin\)$/);
  await expect(form.getByRole("alert")).toHaveCount(0);
  await form.getByRole("button", { name: "Create schedule" }).click();

  const schedules = page.getByRole("table", { name: "Schedules" });
  const row = schedules.getByRole("row", { name: "Schedule 0 6 * * 1-5" });
  await expect(row).toContainText("At 06:00, Monday to Friday");
  await expect(row).toContainText("Europe/Berlin");
  await expect(row.getByRole("checkbox", { name: /^Enabled/ })).toBeChecked();

  // --- Run now --------------------------------------------------------------------------------
  await row.getByRole("button", { name: "Run now" }).click();
  const started = page.getByRole("status", { name: "Run started" });
  await expect(started).toContainText("queued");
  const runId = (await started.getByRole("link").first().textContent())!.trim();
  expect(runId).toMatch(/\S+/);

  // --- the dashboard: running, then succeeded ---------------------------------------------------
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Upcoming scheduled runs" })).toContainText("At 06:00, Monday to Friday");
  const active = page.getByRole("region", { name: "Running now" }).getByRole("listitem", { name: `Active run ${runId}` });
  await expect(active).toContainText("Running", { timeout: 180_000 });
  await expect(active.getByRole("progressbar")).toBeVisible();
  await expect(active).toContainText(/of \d+ stages done/);
  const recent = page.getByRole("region", { name: "Recent runs" }).getByRole("row", { name: `Run ${runId}` });
  await expect(recent).toContainText("Running");
  await expect(recent).toContainText("Succeeded", { timeout: 240_000 });
  await expect(active).toHaveCount(0);
  await expect(page.getByRole("group", { name: "Last 24 hours" }).getByRole("link", { name: /^Last 24 hours: [1-9]\d* succeeded$/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("dashboard.png") });

  // --- run detail: the stage timeline and what ran ----------------------------------------------
  await recent.getByRole("link", { name: runId }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByRole("status", { name: "Run state" })).toHaveText("Succeeded");
  const timeline = page.getByRole("table", { name: "Stages over time" });
  const stages = timeline.getByRole("row", { name: /^Stage / });
  expect(await stages.count()).toBeGreaterThan(0);
  for (const s of await stages.all()) await expect(s).toHaveAttribute("data-state", "succeeded");
  await expect(timeline.locator(".gantt-bar").first()).toBeVisible();
  await expect(stages.first().getByRole("cell").last()).toHaveText(/^\d+(\.\d)? s$|^\d+ min \d\d s$/);
  await page.getByRole("button", { name: "Show the pipeline version and generated script" }).click();
  await expect(page.getByLabel("Generated script")).toContainText("import ray");
  await page.screenshot({ path: testInfo.outputPath("run-detail.png") });

  // --- the pipeline's charts now have a point for the run ------------------------------------------
  await page.getByRole("link", { name: id, exact: true }).click();
  await expect(page.getByRole("heading", { name: `Schedules · ${name}` })).toBeVisible();
  for (const chart of ["Duration chart", "Rows written chart", "Success rate chart"]) {
    await expect(page.getByRole("figure", { name: chart }).locator("svg.recharts-surface")).toBeVisible();
  }
  await expect(page.getByRole("figure", { name: "Rows written chart" }).locator(".recharts-bar-rectangle")).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath("schedules.png"), fullPage: true });

  // --- the runs table: filters ------------------------------------------------------------------
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
  const filters = page.getByRole("form", { name: "Filter runs" });
  const table = page.getByRole("table", { name: "Runs" });
  await filters.getByLabel("Pipeline").selectOption(id);
  await expect(page.getByRole("status", { name: "Page" })).toHaveText("Page 1 of 1 · 1 run");
  await expect(table.getByRole("row", { name: `Run ${runId}` })).toContainText("Succeeded");
  await filters.getByLabel("State").selectOption("failed");
  await expect(table).toContainText("No runs match these filters.");
  await filters.getByLabel("State").selectOption("succeeded");
  await filters.getByLabel("Trigger").selectOption("schedule");
  await expect(table).toContainText("No runs match these filters.");
  await filters.getByLabel("Trigger").selectOption("manual");
  await expect(table.getByRole("row", { name: `Run ${runId}` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/runs\\?pipeline=${id}&state=succeeded&trigger=manual`));
  // the filtered URL is shareable: reloading shows the same page
  await page.reload();
  await expect(filters.getByLabel("Pipeline")).toHaveValue(id);
  await expect(page.getByRole("status", { name: "Page" })).toHaveText("Page 1 of 1 · 1 run");
});

test("a failed run shows on the dashboard at its node, and the link opens the editor at that node", async ({ page, request }) => {
  test.setTimeout(300_000);
  const BAD_KEEP =
    'def keep(batch):\n    mask = batch["total_votes"] > 0\n    if (batch["product_category"] == "Books").any():\n        raise ValueError("no books today")\n    return mask\n';
  const doc = pipelineDoc(`out/e2e-dashboard-fail-${Date.now()}`);
  for (const n of doc.nodes) if (n.id === "keep") n.params.source = BAD_KEEP;
  const name = `Failing ${Date.now()}`;
  const id = await seedPipeline(request, name, doc);
  const res = await request.post("/api/trpc/runs.start", { data: { pipelineId: id } });
  expect(res.ok(), await res.text()).toBe(true);
  const runId = ((await res.json()) as { result: { data: { runId: string } } }).result.data.runId;

  await page.goto("/");
  const failures = page.getByRole("region", { name: "Recent failures" });
  const item = failures.getByRole("listitem").filter({ hasText: runId });
  await expect(item).toContainText("no books today", { timeout: 240_000 });
  await expect(item).toContainText(name);
  await item.getByRole("link", { name: "keep", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/pipelines/${id}\\?run=${runId}&node=keep$`));
  // the editor opens with the failed node selected and the run replayed
  await expect(page.getByRole("complementary", { name: "Inspector" }).locator(".node-id")).toHaveText("keep");
  await expect(page.getByRole("status", { name: "Run state" })).toHaveText("Failed");
});
