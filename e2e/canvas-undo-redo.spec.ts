// Undo and redo walk back and forth through every kind of edit: adds, a move, a connect, a
// config edit and a delete, with the keyboard (Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z) and the toolbar.
import { expect, test, type Page } from "@playwright/test";
import { clickEmptyCanvas, connect, dropNode, edge, inspector, nodeEl, previewPanel, seedPipeline, selectNode, waitSaved } from "./canvas-helpers";

test.use({ viewport: { width: 1400, height: 900 } });

type Snapshot = { nodes: string[]; edges: string[]; sortBox: { x: number; y: number } | null; readSummary: string | null };

async function snapshot(page: Page): Promise<Snapshot> {
  const nodes = await page.locator("[data-testid^=node-]").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")!.slice(5)).sort());
  const edges = await page.locator(".react-flow__edge").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label") ?? "").sort());
  const sort = nodes.includes("sort_1") ? await nodeEl(page, "sort_1").boundingBox() : null;
  const readSummary = nodes.includes("read_1") ? await nodeEl(page, "read_1").locator(".pnode-summary").textContent() : null;
  return { nodes, edges, sortBox: sort && { x: Math.round(sort.x), y: Math.round(sort.y) }, readSummary };
}

async function expectSnapshot(page: Page, want: Snapshot) {
  await expect.poll(() => snapshot(page)).toEqual(want);
}

test("undo and redo walk through adds, moves, connects, config edits and deletes", async ({ page, request }) => {
  const id = await seedPipeline(request, `Undo redo ${Date.now()}`);
  await page.goto(`/pipelines/${id}`);
  await expect(page.getByText("Empty pipeline.")).toBeVisible();
  const states: Snapshot[] = [await snapshot(page)];

  await dropNode(page, "Read parquet", { x: 160, y: 120 }, "read_1"); // add
  states.push(await snapshot(page));
  await dropNode(page, "Sort", { x: 520, y: 120 }, "sort_1"); // add
  states.push(await snapshot(page));

  const box = (await nodeEl(page, "sort_1").locator(".pnode-head").boundingBox())!; // move
  await page.mouse.move(box.x + 60, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 160, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await snapshot(page)).sortBox).not.toEqual(states[2].sortBox);
  states.push(await snapshot(page));

  await connect(page, "read_1", "sort_1"); // connect
  await expect(edge(page, "read_1", "sort_1")).toBeAttached();
  states.push(await snapshot(page));

  await selectNode(page, "read_1"); // config edit
  await inspector(page).getByLabel("Path", { exact: true }).fill("data/reviews");
  await expect(nodeEl(page, "read_1").locator(".pnode-summary")).toHaveText("data/reviews");
  states.push(await snapshot(page));

  await selectNode(page, "sort_1"); // delete
  await page.keyboard.press("Delete");
  await expect(nodeEl(page, "sort_1")).toHaveCount(0);
  states.push(await snapshot(page));

  // Every state differs from the one before it, so each step below is observable.
  for (let i = 1; i < states.length; i++) expect(states[i]).not.toEqual(states[i - 1]);

  await clickEmptyCanvas(page);
  for (let i = states.length - 2; i >= 0; i--) {
    await page.keyboard.press("ControlOrMeta+z");
    await expectSnapshot(page, states[i]);
  }
  await expect(page.getByRole("button", { name: "↶ Undo" })).toBeDisabled();
  for (let i = 1; i < states.length; i++) {
    await page.keyboard.press("ControlOrMeta+Shift+z");
    await expectSnapshot(page, states[i]);
  }
  await expect(page.getByRole("button", { name: "↷ Redo" })).toBeDisabled();

  // The toolbar buttons do the same; the result is saved like any edit.
  await page.getByRole("button", { name: "↶ Undo" }).click(); // the delete is undone
  await expectSnapshot(page, states[states.length - 2]);
  await page.getByRole("button", { name: "↶ Undo" }).click(); // and the config edit
  await expectSnapshot(page, states[states.length - 3]);
  await page.getByRole("button", { name: "↷ Redo" }).click();
  await expectSnapshot(page, states[states.length - 2]);
  await waitSaved(page);
  await page.reload();
  await expect(nodeEl(page, "sort_1")).toBeVisible();
  await expect(edge(page, "read_1", "sort_1")).toBeAttached();
  await expect(nodeEl(page, "read_1").locator(".pnode-summary")).toHaveText("data/reviews");
});

test("copy, paste, duplicate and delete with the keyboard; a refused connection says why", async ({ page, request }) => {
  const id = await seedPipeline(request, `Clipboard ${Date.now()}`);
  await page.goto(`/pipelines/${id}`);
  await dropNode(page, "Add column", { x: 160, y: 120 }, "add_1");
  await dropNode(page, "Sort", { x: 520, y: 120 }, "sort_1");
  await connect(page, "add_1", "sort_1");
  await expect(edge(page, "add_1", "sort_1")).toBeAttached();

  // A cycle is refused, with the reason.
  await connect(page, "sort_1", "add_1");
  await expect(page.getByRole("status", { name: "Notifications" })).toContainText("Cannot connect: That would create a cycle: add_1 → sort_1 → add_1");
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);

  // A second input to a transform is refused too.
  await dropNode(page, "Read parquet", { x: 160, y: 320 }, "read_1");
  await connect(page, "read_1", "sort_1");
  await expect(page.getByRole("status", { name: "Notifications" })).toContainText("already has an input");
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);

  // Multi-select with shift-click, copy, paste: fresh ids, the edge between them kept.
  await clickEmptyCanvas(page);
  await nodeEl(page, "add_1").locator(".pnode-head").click();
  await nodeEl(page, "sort_1").locator(".pnode-head").click({ modifiers: ["Shift"] });
  await expect(inspector(page).getByRole("heading", { name: "2 nodes selected" })).toBeVisible();
  await page.keyboard.press("ControlOrMeta+c");
  await page.keyboard.press("ControlOrMeta+v");
  await expect(nodeEl(page, "add_2")).toBeVisible();
  await expect(nodeEl(page, "sort_2")).toBeVisible();
  await expect(edge(page, "add_2", "sort_2")).toBeAttached();

  // Duplicate the pasted pair, then delete it with the keyboard.
  await page.keyboard.press("ControlOrMeta+d");
  await expect(nodeEl(page, "add_3")).toBeVisible();
  await expect(edge(page, "add_3", "sort_3")).toBeAttached();
  await page.keyboard.press("Delete");
  await expect(nodeEl(page, "add_3")).toHaveCount(0);
  await expect(nodeEl(page, "sort_3")).toHaveCount(0);

  // Select all + delete, then one undo brings everything back.
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  await expect(page.locator("[data-testid^=node-]")).toHaveCount(0);
  await page.keyboard.press("ControlOrMeta+z");
  await expect(page.locator("[data-testid^=node-]")).toHaveCount(5);
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // The shortcuts overlay lists all of this.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Duplicate selected nodes");
  await help.getByRole("button", { name: "Close" }).click();
  await expect(help).toBeHidden();
});

test("dragging another node: the inspector and preview stay put while it moves, then show the dropped node", async ({ page, request }) => {
  const id = await seedPipeline(request, `Drag selection ${Date.now()}`);
  await page.goto(`/pipelines/${id}`);
  await dropNode(page, "Read parquet", { x: 160, y: 120 }, "read_1");
  await dropNode(page, "Sort", { x: 520, y: 120 }, "sort_1");
  await selectNode(page, "read_1");
  const preview = previewPanel(page);
  await expect(preview.locator(".pv-node")).toContainText("read_1");

  const box = (await nodeEl(page, "sort_1").locator(".pnode-head").boundingBox())!;
  await page.mouse.move(box.x + 60, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 100, box.y + 80, { steps: 6 });
  // Grabbed and moving: sort_1 is selected on the canvas, the panels still show read_1.
  await expect(nodeEl(page, "sort_1").locator("xpath=..")).toHaveClass(/selected/);
  await expect(inspector(page).locator(".node-id")).toHaveText("read_1");
  await expect(preview.locator(".pv-node")).toContainText("read_1");
  await page.mouse.move(box.x + 140, box.y + 160, { steps: 6 });
  await page.mouse.up();
  await expect(inspector(page).locator(".node-id")).toHaveText("sort_1");
  await expect(preview.locator(".pv-node")).toContainText("sort_1");
  const after = (await nodeEl(page, "sort_1").locator(".pnode-head").boundingBox())!;
  expect(after.x - box.x).toBeGreaterThan(40); // the pointer moved 80 px right, 160 px down
  expect(after.y - box.y).toBeGreaterThan(80);
  await waitSaved(page);
});
