// Hardening as a browser sees it: the editor works under the app's Content-Security-Policy (no
// policy violation while the canvas, CodeMirror and the inspector render), and a page on another
// site cannot change anything through the API while the app's own calls go through.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { inspector, nodeEl, seedPipeline, selectNode } from "./canvas-helpers";

test("the editor renders under the security headers without a policy violation", async ({ page, request }) => {
  const doc = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "examples", "reviews.pipeline.json"), "utf8"));
  const id = await seedPipeline(request, `CSP ${Date.now()}`, doc);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const res = await page.goto(`/pipelines/${id}`);
  expect(res?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(res?.headers()["x-content-type-options"]).toBe("nosniff");
  await expect(nodeEl(page, "keep")).toBeVisible();
  await selectNode(page, "keep"); // CodeMirror (inline styles) with the UDF source
  await expect(inspector(page).locator(".cm-editor").first()).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
});

test("a page on another site cannot create a pipeline; a script without browser headers can", async ({ request }) => {
  const names = async () => ((await (await request.get("/api/trpc/pipelines.list")).json()) as { result: { data: { name: string }[] } }).result.data.map((p) => p.name);
  const attack = `From another site ${Date.now()}`;
  const refused = await request.post("/api/trpc/pipelines.create", {
    data: { name: attack }, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(refused.status()).toBe(403);
  expect(await names()).not.toContain(attack);
  const script = `Script ${Date.now()}`;
  await seedPipeline(request, script);
  expect(await names()).toContain(script);
});
