// Helpers for the canvas journeys: seed pipelines through the API, drag palette items onto the
// canvas, connect handles with the mouse, and read what the user sees.
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

/** Creates a pipeline through tRPC (as the CLI or another user would) and returns its id. */
export async function seedPipeline(request: APIRequestContext, name: string, document?: unknown): Promise<string> {
  const res = await request.post("/api/trpc/pipelines.create", { data: document === undefined ? { name } : { name, document } });
  expect(res.ok(), await res.text()).toBe(true);
  return ((await res.json()) as { result: { data: { id: string } } }).result.data.id;
}

export async function pipelineCount(request: APIRequestContext): Promise<number> {
  const res = await request.get("/api/trpc/pipelines.list");
  return ((await res.json()) as { result: { data: unknown[] } }).result.data.length;
}

export const nodeEl = (page: Page, id: string): Locator => page.getByTestId(`node-${id}`);
export const palette = (page: Page): Locator => page.getByRole("navigation", { name: "Node palette" });
export const inspector = (page: Page): Locator => page.getByRole("complementary", { name: "Inspector" });
export const previewPanel = (page: Page): Locator => page.getByRole("region", { name: "Preview" });
export const pane = (page: Page): Locator => page.locator(".react-flow__pane");
export const saveStatus = (page: Page): Locator => page.getByRole("status", { name: "Save status" });
export const edge = (page: Page, source: string, target: string): Locator => page.getByLabel(`Edge from ${source} to ${target}`);

/** Drags a palette item onto the canvas at (x, y) relative to the canvas pane. */
export async function dropNode(page: Page, label: string, at: { x: number; y: number }, expectId: string): Promise<Locator> {
  await palette(page).getByRole("button", { name: label, exact: true }).dragTo(pane(page), { targetPosition: at });
  const node = nodeEl(page, expectId);
  await expect(node).toBeVisible();
  return node;
}

/** Drags from one node's output handle to another node's input handle. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const src = await nodeEl(page, from).locator(".react-flow__handle.source").boundingBox();
  const dst = await nodeEl(page, to).locator(".react-flow__handle.target").boundingBox();
  if (!src || !dst) throw new Error(`handles of ${from} / ${to} are not on screen`);
  await page.mouse.move(src.x + src.width / 2, src.y + src.height / 2);
  await page.mouse.down();
  await page.mouse.move((src.x + dst.x) / 2, (src.y + dst.y) / 2, { steps: 5 });
  await page.mouse.move(dst.x + dst.width / 2, dst.y + dst.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Whether the whole node lies inside the visible canvas (the preview panel, opening under the
 *  canvas, shrinks it and can hide nodes near its bottom edge). */
async function onCanvas(page: Page, id: string): Promise<boolean> {
  const [n, c] = await Promise.all([nodeEl(page, id).boundingBox(), page.locator(".react-flow").boundingBox()]);
  return !!n && !!c && n.x >= c.x && n.y >= c.y && n.x + n.width <= c.x + c.width && n.y + n.height <= c.y + c.height;
}

/** Selects a node by clicking its header (not a handle), as a user would: zooming to fit first
 *  when the node is out of sight (xyflow keeps its canvas from scrolling, so Playwright cannot
 *  scroll a hidden node into view). */
export async function selectNode(page: Page, id: string): Promise<void> {
  await expect(async () => {
    if (!(await onCanvas(page, id))) await page.getByRole("button", { name: "Zoom to fit" }).click();
    await nodeEl(page, id).locator(".pnode-head").click({ timeout: 2_000 });
    await expect(inspector(page).locator(".node-id")).toHaveText(id, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Clicks an empty spot of the canvas: clears the selection and takes focus out of fields. */
export async function clickEmptyCanvas(page: Page): Promise<void> {
  const box = await pane(page).boundingBox();
  if (!box) throw new Error("no canvas");
  await page.mouse.click(box.x + box.width - 30, box.y + 20);
}

export async function waitSaved(page: Page): Promise<void> {
  await expect(saveStatus(page)).toHaveText(/^Saved · v\d+/);
}

/** Replaces the text of a CodeMirror editor found by its accessible name. */
export async function fillCode(page: Page, name: string, text: string): Promise<void> {
  const box = inspector(page).getByRole("textbox", { name, exact: true });
  await box.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await box.fill(text);
}
