// The pipelines page: export then import gives an identical pipeline; malformed JSON and an
// unknown schemaVersion are refused with a clear error and nothing is saved; rename, duplicate
// and delete (with confirmation) work from the list.
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { pipelineCount, seedPipeline } from "./canvas-helpers";

const DOC = {
  schemaVersion: 1,
  id: "ignored",
  name: "Roundtrip",
  description: "exported and imported again",
  nodes: [
    { id: "read", kind: "read-parquet", name: "reviews", params: { path: "data/reviews", columns: null }, position: { x: 0, y: 0 } },
    { id: "ratio", kind: "add-column", params: { column: "helpful_ratio", mode: "expression", expression: "helpful_votes / total_votes" }, position: { x: 300, y: 0 } },
    { id: "sort", kind: "sort", params: { keys: [{ column: "total_votes", descending: true }] }, position: { x: 600, y: 0 } },
    { id: "out", kind: "write", params: { path: "out/roundtrip", format: "csv", mode: "overwrite" }, position: { x: 900, y: 40 } },
  ],
  edges: [{ source: "read", target: "ratio" }, { source: "ratio", target: "sort" }, { source: "sort", target: "out" }],
};

const row = (page: Page, id: string) => page.getByRole("row", { name: new RegExp(`\\(${id}\\)`) });

async function exportRow(page: Page, id: string, name: string): Promise<string> {
  const download = page.waitForEvent("download");
  await row(page, id).getByRole("button", { name: `Export ${name}` }).click();
  const d = await download;
  expect(d.suggestedFilename()).toBe(`${id}.pipeline.json`);
  return fs.readFileSync(await d.path(), "utf8");
}

test("export then import gives an identical pipeline", async ({ page, request }) => {
  const name = `Roundtrip ${Date.now()}`;
  const id = await seedPipeline(request, name, { ...DOC, name });
  await page.goto("/pipelines");
  const exported = await exportRow(page, id, name);
  expect(JSON.parse(exported)).toMatchObject({ schemaVersion: 1, id, name, edges: DOC.edges });

  await page.getByLabel("Import pipeline JSON").setInputFiles({ name: `${id}.pipeline.json`, mimeType: "application/json", buffer: Buffer.from(exported) });
  const toast = page.getByRole("status", { name: "Notifications" });
  await expect(toast).toContainText(`Imported “${name}” as ${id}-2`);
  await expect(row(page, `${id}-2`)).toBeVisible();

  const again = await exportRow(page, `${id}-2`, name);
  // Byte-identical apart from the id the server gives the copy.
  expect(again).toBe(exported.replace(`"id": "${id}"`, `"id": "${id}-2"`));

  // And the imported copy opens on the canvas with every node.
  await row(page, `${id}-2`).getByRole("link", { name, exact: true }).click();
  for (const n of ["read", "ratio", "sort", "out"]) await expect(page.getByTestId(`node-${n}`)).toBeVisible();
  await expect(page.getByTestId("node-ratio")).toContainText("helpful_ratio = ");
});

test("malformed JSON and an unknown schemaVersion are refused clearly, saving nothing", async ({ page, request }) => {
  await page.goto("/pipelines");
  await expect(page.getByRole("heading", { name: "Pipelines" })).toBeVisible();
  const before = await pipelineCount(request);
  const importer = page.getByLabel("Import pipeline JSON");
  const alert = page.getByRole("alert", { name: "Import failed" });

  await importer.setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{\n  "schemaVersion": 1,\n  "nodes": [\n') });
  await expect(alert).toContainText("Could not import broken.json. Nothing was saved.");
  await expect(alert).toContainText("The file is not valid JSON");
  await expect(alert).toContainText(/line \d+/);

  await importer.setInputFiles({ name: "future.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...DOC, schemaVersion: 99 })) });
  await expect(alert).toContainText("Could not import future.json. Nothing was saved.");
  await expect(alert).toContainText("schemaVersion 99");

  expect(await pipelineCount(request)).toBe(before);
  await alert.getByRole("button", { name: "Dismiss import error" }).click();
  await expect(alert).toBeHidden();
});

test("create, rename, duplicate and delete from the list", async ({ page }) => {
  const name = `Listed ${Date.now()}`;
  await page.goto("/pipelines");
  await page.getByRole("button", { name: "New pipeline" }).click();
  await page.getByRole("dialog", { name: "New pipeline" }).getByLabel("Name").fill(name);
  await page.getByRole("dialog", { name: "New pipeline" }).getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("textbox", { name: "Pipeline name" })).toHaveValue(name);
  const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);

  await page.getByRole("link", { name: "All pipelines" }).click();
  await expect(row(page, id)).toContainText("never run");
  await row(page, id).getByRole("button", { name: `Rename ${name}` }).click();
  const rename = page.getByRole("dialog", { name: `Rename “${name}”` });
  await rename.getByLabel("Name").fill(`${name} renamed`);
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(row(page, id).getByRole("link", { name: `${name} renamed`, exact: true })).toBeVisible();
  await expect(row(page, id)).toContainText("v2");

  await row(page, id).getByRole("button", { name: `Duplicate ${name} renamed` }).click();
  await expect(page.getByRole("link", { name: `${name} renamed (copy)`, exact: true })).toBeVisible();

  await row(page, id).getByRole("button", { name: `Delete ${name} renamed` }).click();
  const confirm = page.getByRole("dialog", { name: "Delete pipeline?" });
  await expect(confirm).toContainText(`“${name} renamed” and all its versions will be deleted`);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(row(page, id)).toBeVisible();
  await row(page, id).getByRole("button", { name: `Delete ${name} renamed` }).click();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(row(page, id)).toHaveCount(0);
  await expect(page.getByRole("link", { name: `${name} renamed (copy)`, exact: true })).toBeVisible();
});
