// Preview journeys in the acceptance pipeline: clicking each node shows its sample rows (a
// source first shows its dataset facts); editing the add-column expression updates that node
// and everything downstream while upstream nodes come from the cache; a UDF that raises shows
// its error and line on its node.
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { fillCode, inspector, nodeEl, previewPanel, seedPipeline } from "./canvas-helpers";

const FIRST_PREVIEW_MS = 240_000; // the worker's Ray start-up, on a busy 2-core machine
const ORDER = ["read", "ratio", "drop", "sort", "flag", "keep", "out"];

test.use({ viewport: { width: 1600, height: 1150 } });

const panel = previewPanel;
const status = (page: Page) => panel(page).getByRole("status", { name: "Preview status" });
const grid = (page: Page, id: string) => panel(page).getByRole("grid", { name: `Sample rows after ${id}` });

async function open(page: Page, request: Parameters<typeof seedPipeline>[0], name: string) {
  const doc = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "examples", "reviews.pipeline.json"), "utf8"));
  const id = await seedPipeline(request, name, doc);
  await page.goto(`/pipelines/${id}`);
  await expect(nodeEl(page, "keep")).toBeVisible();
}

/** Clicks a node's header and waits for its preview rows (a source: its facts, then its rows). */
async function preview(page: Page, id: string, timeout = 60_000) {
  await nodeEl(page, id).locator(".pnode-head").click();
  await expect(panel(page)).toContainText(id);
  if (id === "read") {
    await expect(panel(page).getByLabel("Dataset facts")).toContainText("5,000", { timeout });
    // the sample row arrives on its own request: one row with every column, partition included
    await expect(panel(page).getByRole("table", { name: "Sample row" })).toContainText("product_category", { timeout });
    await expect(panel(page).getByRole("table", { name: "Sample row" })).toContainText("marketplace");
    await panel(page).getByRole("tab", { name: "Rows" }).click();
  }
  await expect(grid(page, id)).toBeVisible({ timeout });
  await expect(status(page)).toContainText(/\d+ sample rows? \(read [\d,]+ source rows?\)/);
}

/** The values of one column in the rows on screen. */
async function columnValues(page: Page, id: string, column: string): Promise<string[]> {
  const g = grid(page, id);
  const names = await g.locator(".pv-head .pv-hname").allInnerTexts();
  const i = names.indexOf(column);
  expect(i, `${column} in ${names.join(", ")}`).toBeGreaterThanOrEqual(0);
  return g.locator(`.pv-row > :nth-child(${i + 2})`).allInnerTexts();
}

test("clicking each node shows its rows; an expression edit refreshes it and downstream, upstream comes from the cache", async ({ page, request }) => {
  test.setTimeout(FIRST_PREVIEW_MS + 300_000);
  await open(page, request, "Preview journey");

  for (const [i, id] of ORDER.entries()) {
    await preview(page, id, i === 0 ? FIRST_PREVIEW_MS : 60_000);
    await expect(grid(page, id).getByRole("row").nth(1)).toBeVisible();
    if (i === 0) await page.getByRole("button", { name: "Zoom to fit" }).click(); // the panel took height from the canvas
  }
  // The types are in the headers; the filter and the sort really ran on the sample.
  await preview(page, "keep");
  await expect(grid(page, "keep").getByRole("columnheader", { name: /helpful_ratio\s*float64/ })).toBeVisible();
  await expect(grid(page, "keep").getByRole("columnheader", { name: /low_votes\s*bool/ })).toBeVisible();
  expect(new Set(await columnValues(page, "keep", "marketplace"))).toEqual(new Set(["US"]));
  const votes = (await columnValues(page, "keep", "total_votes")).map(Number);
  expect(votes).toEqual([...votes].sort((a, b) => b - a));

  // Edit the add-column expression: that node's rows change...
  const edited = async (id: string) => {
    const values = (await columnValues(page, id, "helpful_ratio")).filter((v) => v !== "null").map(Number);
    return values.length > 0 && values.every((v) => v >= 1000); // ratios were in [0, 1]
  };
  await nodeEl(page, "ratio").locator(".pnode-head").click();
  await fillCode(page, "Expression", "helpful_votes + 1000");
  await expect(grid(page, "ratio").getByRole("columnheader", { name: /helpful_ratio\s*int/ })).toBeVisible({ timeout: 60_000 });
  await expect(status(page)).not.toContainText("cached");
  expect(await edited("ratio")).toBe(true);

  // ...and so do the rows of every node downstream (computed again, not cached)...
  for (const id of ["drop", "sort", "flag", "keep", "out"]) {
    await preview(page, id);
    await expect(status(page)).not.toContainText("cached");
    expect(await edited(id), id).toBe(true);
  }
  // ...while the node upstream is answered from the cache.
  await preview(page, "read");
  await expect(status(page).getByText("cached", { exact: true })).toBeVisible();
});

test("a UDF that raises shows its error and line on its node", async ({ page, request }) => {
  test.setTimeout(FIRST_PREVIEW_MS + 120_000);
  await open(page, request, "Preview UDF error");
  await nodeEl(page, "keep").locator(".pnode-head").click();
  await expect(inspector(page).locator(".node-id")).toHaveText("keep");
  await fillCode(page, "Python source", "def keep(batch):\n    votes = batch[\"total_votes\"]\n    return votes / 0 > no_such_name\n");

  const alert = panel(page).getByRole("alert", { name: "Preview error" });
  await expect(alert).toContainText("Python error", { timeout: FIRST_PREVIEW_MS });
  await expect(alert).toContainText("in node keep");
  await expect(alert).toContainText("line 3");
  await expect(alert).toContainText("NameError: name 'no_such_name' is not defined");
  await page.getByRole("button", { name: "Zoom to fit" }).click(); // the panel took height from the canvas
  const onNode = page.getByTestId("preview-error-keep");
  await expect(onNode).toContainText("line 3");
  await expect(onNode).toContainText("NameError");

  // Downstream of the broken UDF, the error still points at it.
  await nodeEl(page, "out").locator(".pnode-head").click();
  await expect(panel(page).getByRole("alert", { name: "Preview error" })).toContainText("in node keep", { timeout: 60_000 });
  await expect(page.getByTestId("preview-error-keep")).toBeVisible();
});
