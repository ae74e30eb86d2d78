// The minimap draws every node in its kind's colour, follows edits, pans the canvas when dragged
// and zooms it with the wheel.
import { expect, test, type Page } from "@playwright/test";
import { dropNode, nodeEl, seedPipeline, selectNode } from "./canvas-helpers";

test.use({ viewport: { width: 1400, height: 900 } });

const minimap = (page: Page) => page.getByRole("img", { name: "Minimap" });

/** Pixels of the minimap painted exactly in a colour (node interiors on screen are unshaded). */
function pixels(page: Page, [r, g, b]: [number, number, number]): Promise<number> {
  return minimap(page).evaluate((el, [r, g, b]) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++;
    return n;
  }, [r, g, b]);
}

const viewport = (page: Page) => page.locator(".react-flow__viewport").evaluate((el) => getComputedStyle(el).transform);

test("the minimap shows the nodes in their colours, follows a delete, pans and zooms the canvas", async ({ page, request }) => {
  const id = await seedPipeline(request, `Minimap ${Date.now()}`);
  await page.goto(`/pipelines/${id}`);
  await dropNode(page, "Read parquet", { x: 160, y: 120 }, "read_1");
  await dropNode(page, "Write", { x: 560, y: 320 }, "write_1");

  const teal: [number, number, number] = [0x0f, 0x76, 0x6e]; // sources
  const orange: [number, number, number] = [0xc2, 0x41, 0x0c]; // sinks
  await expect.poll(() => pixels(page, teal)).toBeGreaterThan(20);
  await expect.poll(() => pixels(page, orange)).toBeGreaterThan(20);

  await selectNode(page, "write_1");
  await page.keyboard.press("Delete");
  await expect(nodeEl(page, "write_1")).toHaveCount(0);
  await expect.poll(() => pixels(page, orange)).toBe(0);
  expect(await pixels(page, teal)).toBeGreaterThan(20);

  // Dragging on the minimap pans the canvas.
  const before = await viewport(page);
  const box = (await minimap(page).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 + 20, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => viewport(page)).not.toBe(before);

  // The wheel over it zooms the canvas.
  const scale = () => page.locator(".react-flow__viewport").evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
  const zoom = await scale();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect.poll(scale).toBeGreaterThan(zoom);
});
