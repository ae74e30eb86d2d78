// The acceptance journey on the canvas: from an empty pipeline, build read -> add-column
// (expression) -> drop-columns -> sort -> add-column (Python, actor pool) -> udf-filter -> write
// by drag and drop and form input only; a typo in the expression shows under the field and as a
// badge on the node, both gone once fixed; the script view shows the compiled script; a reload
// brings everything back. A screenshot of the result is kept as a test artifact.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import {
  clickEmptyCanvas, connect, dropNode, edge, fillCode, inspector, nodeEl, selectNode, waitSaved,
} from "./canvas-helpers";

test.use({ viewport: { width: 1600, height: 1000 } });

test("builds, checks, compiles and reloads the acceptance pipeline", async ({ page }, testInfo) => {
  test.setTimeout(300_000); // a long journey; the machine may be busy
  await page.goto("/pipelines");
  await page.getByRole("button", { name: "New pipeline" }).click();
  const dialog = page.getByRole("dialog", { name: "New pipeline" });
  await dialog.getByLabel("Name").fill(`Acceptance ${testInfo.workerIndex}-${Date.now()}`);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page).toHaveURL(/\/pipelines\/acceptance-/);
  await expect(page.getByText("Empty pipeline.")).toBeVisible();
  const insp = inspector(page);

  // read-parquet data/reviews: the footers answer before any data is read.
  await dropNode(page, "Read parquet", { x: 150, y: 80 }, "read_1");
  await insp.getByLabel("Path", { exact: true }).fill("data/reviews");
  await expect(insp.getByText("5,000", { exact: true })).toBeVisible();
  await expect(insp.getByRole("definition").filter({ hasText: "product_category" })).toBeVisible(); // partitioned by

  // add-column helpful_ratio = helpful_votes / total_votes
  await dropNode(page, "Add column", { x: 470, y: 80 }, "add_1");
  await connect(page, "read_1", "add_1");
  await expect(edge(page, "read_1", "add_1")).toBeAttached();
  await selectNode(page, "add_1");
  await insp.getByLabel("Column name").fill("helpful_ratio");
  await fillCode(page, "Expression", "helpful_votes / total_votes");
  await expect(nodeEl(page, "add_1")).toContainText("helpful_ratio = ");

  // drop-columns review_body, picked from the schema flowing in
  await dropNode(page, "Drop columns", { x: 790, y: 80 }, "drop_1");
  await connect(page, "add_1", "drop_1");
  await selectNode(page, "drop_1");
  await insp.getByRole("checkbox", { name: /^review_body\b/ }).check();
  await expect(nodeEl(page, "drop_1")).toContainText("drop review_body");

  // sort by total_votes descending
  await dropNode(page, "Sort", { x: 150, y: 260 }, "sort_1");
  await connect(page, "drop_1", "sort_1");
  await selectNode(page, "sort_1");
  await insp.getByRole("button", { name: "+ Add sort key" }).click();
  await insp.getByLabel("Sort key 1 column").selectOption("total_votes");
  await insp.getByLabel("Sort key 1 direction").selectOption("desc");
  await expect(nodeEl(page, "sort_1")).toContainText("sort by total_votes desc");

  // add-column low_votes in Python, on an actor pool
  await dropNode(page, "Add column", { x: 470, y: 260 }, "add_2");
  await connect(page, "sort_1", "add_2");
  await selectNode(page, "add_2");
  await insp.getByLabel("Column name").fill("low_votes");
  await insp.getByRole("radio", { name: "Python" }).check();
  await fillCode(page, "Python source", 'def compute(batch):\n    return batch["total_votes"] < 100\n');
  await insp.getByLabel("Output type").selectOption("bool");
  await insp.getByRole("radio", { name: "Actor pool" }).check();
  await insp.getByLabel("Min actors").fill("1");
  await insp.getByLabel("Max actors").fill("2");
  await expect(nodeEl(page, "add_2")).toContainText("low_votes: bool = python compute(batch), actor pool 1-2");

  // udf-filter: US reviews with votes
  await dropNode(page, "Filter (Python)", { x: 790, y: 260 }, "filter_1");
  await connect(page, "add_2", "filter_1");
  await selectNode(page, "filter_1");
  await fillCode(page, "Python source", 'def keep(batch):\n    return (batch["total_votes"] > 0) & (batch["marketplace"] == "US")\n');

  // write parquet out/reviews, overwrite
  await dropNode(page, "Write", { x: 150, y: 440 }, "write_1");
  await connect(page, "filter_1", "write_1");
  await selectNode(page, "write_1");
  await insp.getByLabel("Output path").fill("out/reviews");
  await insp.getByLabel("Format").selectOption("parquet");
  await insp.getByLabel("Mode").selectOption("overwrite");
  await expect(nodeEl(page, "write_1")).toContainText("parquet -> out/reviews (overwrite)");

  // Every node configured: no problems anywhere.
  await clickEmptyCanvas(page);
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(page.getByText("No problems. The pipeline is ready to compile.")).toBeVisible();
  await expect(page.locator(".pnode-badge")).toHaveCount(0);

  // A typo in the expression: the error under the field and a badge on the node, as you type...
  await selectNode(page, "add_1");
  await fillCode(page, "Expression", "helpful_votes / totl_votes");
  const expression = insp.getByRole("textbox", { name: "Expression", exact: true });
  const fieldError = insp.locator(".field-error", { hasText: "Unknown column 'totl_votes'" });
  await expect(fieldError).toBeVisible();
  await expect(fieldError).toContainText("Did you mean 'total_votes'?");
  await expect(expression).toHaveAccessibleDescription(/Unknown column 'totl_votes'/);
  await expect(nodeEl(page, "add_1").getByRole("img", { name: /problem/ })).toBeVisible();
  const problems = page.getByRole("list", { name: "Problems" });
  await expect(problems).toContainText("Unknown column 'totl_votes'");
  // Clicking a problem selects its node.
  await clickEmptyCanvas(page);
  await expect(insp.getByRole("heading", { name: "Pipeline" })).toBeVisible();
  await problems.getByRole("button", { name: /Unknown column 'totl_votes'/ }).click();
  await expect(insp.locator(".node-id")).toHaveText("add_1");
  // ...and both gone once fixed.
  await fillCode(page, "Expression", "helpful_votes / total_votes");
  await expect(fieldError).toHaveCount(0);
  await expect(nodeEl(page, "add_1").getByRole("img", { name: /problem/ })).toHaveCount(0);
  await expect(page.getByText("No problems. The pipeline is ready to compile.")).toBeVisible();

  // The script view shows the compiled Ray script; the selected node's lines are highlighted.
  await page.getByRole("tab", { name: "Script" }).click();
  const script = page.getByRole("textbox", { name: "Generated Ray script" });
  await expect(script).toContainText("read_parquet");
  await expect(script).toContainText("helpful_ratio");
  await selectNode(page, "sort_1");
  await expect(page.locator(".cm-node-lines").first()).toBeVisible();

  // Saved; after a reload everything is as it was.
  await waitSaved(page);
  const before = await page.evaluate(() => [...document.querySelectorAll("[data-testid^=node-]")].map((n) => n.textContent).sort());
  await page.reload();
  await expect(nodeEl(page, "write_1")).toBeVisible();
  const after = await page.evaluate(() => [...document.querySelectorAll("[data-testid^=node-]")].map((n) => n.textContent).sort());
  expect(after).toEqual(before);
  expect(after).toHaveLength(7);
  for (const [s, t] of [["read_1", "add_1"], ["add_1", "drop_1"], ["drop_1", "sort_1"], ["sort_1", "add_2"], ["add_2", "filter_1"], ["filter_1", "write_1"]]) {
    await expect(edge(page, s, t)).toBeAttached();
  }
  await selectNode(page, "add_2");
  await expect(insp.getByRole("radio", { name: "Python" })).toBeChecked();
  await expect(insp.getByRole("radio", { name: "Actor pool" })).toBeChecked();
  await expect(insp.getByRole("textbox", { name: "Python source" })).toContainText('return batch["total_votes"] < 100');
  await selectNode(page, "write_1");
  await expect(insp.getByLabel("Output path")).toHaveValue("out/reviews");
  await expect(insp.getByLabel("Mode")).toHaveValue("overwrite");
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(page.getByText("No problems. The pipeline is ready to compile.")).toBeVisible();
  // Hovering a node shows the schema flowing out of it: 15 columns + partition + ratio - review_body.
  await nodeEl(page, "drop_1").hover();
  const schema = page.getByRole("tooltip", { name: "Output schema of drop_1" });
  await expect(schema).toContainText("Output schema · 16 columns");
  await expect(schema).toContainText("helpful_ratio");
  await expect(schema).not.toContainText("review_body");

  // The finished pipeline, laid out, as an artifact.
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await clickEmptyCanvas(page);
  await page.getByRole("button", { name: "Zoom to fit" }).click();
  await waitSaved(page);
  const shot = await page.screenshot();
  fs.mkdirSync("test-results", { recursive: true });
  fs.writeFileSync(path.join("test-results", "acceptance-pipeline.png"), shot);
  await testInfo.attach("acceptance-pipeline", { body: shot, contentType: "image/png" });
});
