// Semantic zoom: zoomed out below the threshold (where a node's name would render under ~6 px)
// nodes drop their text but keep kind colour, handles and the problem mark; zoomed back in the
// text returns. A 30-node chain fits at ~0.15, so it opens zoomed out.
import { expect, test, type Page } from "@playwright/test";
import { chainPipeline } from "../bench/chain-pipeline";
import { nodeEl, seedPipeline } from "./canvas-helpers";

test.use({ viewport: { width: 1400, height: 900 } });

const LOW_ZOOM = 0.45; // components/canvas/pipeline-node.tsx

const zoom = (page: Page) =>
  page.locator(".react-flow__viewport").evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);

test("below the zoom threshold nodes hide their text and still show problems", async ({ page, request }) => {
  const doc = chainPipeline(30);
  const broken = doc.nodes.find((n) => n.id === "n2")!;
  (broken.params as { expression: string }).expression = "round(helpful_votez / total_votes, 2)";
  doc.nodes.find((n) => n.id === "n1")!.name = "Ratio of helpful votes";
  const id = await seedPipeline(request, `Semantic zoom ${Date.now()}`, doc);
  await page.goto(`/pipelines/${id}`);
  const canvas = page.getByRole("region", { name: "Pipeline canvas" });
  const heights = () => page.locator("[data-testid^=node-]").evaluateAll((els) => els.map((e) => (e as HTMLElement).offsetHeight));

  // Opened zoomed to fit: low zoom.
  await expect(canvas).toHaveClass(/\blow-zoom\b/);
  expect(await zoom(page)).toBeLessThan(LOW_ZOOM);
  await expect(nodeEl(page, "n1")).toBeVisible();
  expect(await nodeEl(page, "n1").evaluate((el) => (el as HTMLElement).innerText.trim())).toBe(""); // no rendered text
  await expect(nodeEl(page, "n1").locator(".pnode-kind")).toBeHidden();
  await expect(nodeEl(page, "n1").locator(".react-flow__handle.source")).toBeAttached(); // edges anchor on it
  const lowHeights = await heights();
  // The node with the typo is still marked: its badge (a dot now) and a red outline.
  const bad = nodeEl(page, "n2");
  await expect(bad).toHaveAttribute("aria-label", /, \d+ errors?$/);
  await expect(bad.getByRole("img", { name: /^\d+ problems?$/ })).toBeVisible();
  await expect(bad.locator(".pnode-badge .pnode-text")).toBeHidden();
  expect(await bad.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
  await expect(nodeEl(page, "n1").getByRole("img")).toHaveCount(0);

  // Zoom in past the threshold: the text is back, the badge shows its count.
  const zoomIn = page.getByRole("button", { name: "Zoom In" });
  for (let i = 0; i < 15 && (await zoom(page)) < LOW_ZOOM; i++) await zoomIn.click();
  expect(await zoom(page)).toBeGreaterThanOrEqual(LOW_ZOOM);
  await expect(canvas).not.toHaveClass(/\blow-zoom\b/);
  await expect(nodeEl(page, "n1").locator(".pnode-summary")).toBeVisible();
  await expect(nodeEl(page, "n1").locator(".pnode-kind")).toHaveText("Add column");
  await expect(nodeEl(page, "n1").locator(".pnode-name")).toHaveText("Ratio of helpful votes");
  // Nodes keep their size across the threshold (named or not): nothing resizes, edges stay put.
  expect(await heights()).toEqual(lowHeights);
  await expect(bad.getByRole("img", { name: /^\d+ problems?$/ })).toHaveText(/^! \d+$/);
  expect(await bad.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("none");
});
