// The app comes up on its embedded defaults: the home page reports the database and the local
// Ray head as up, and the health endpoint says the same.
import { expect, test } from "@playwright/test";

test("home page shows the database and Ray as up", async ({ page, request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const health = await res.json();
  expect(health.database.ok).toBe(true);
  expect(health.ray.ok).toBe(true);
  expect(health.ray.version).toMatch(/^2\.\d+/);

  await page.goto("/pipelines");
  await expect(page.getByText(/Ray\s+up \(2\./)).toBeVisible();
  await expect(page.getByText(/Database\s+up/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Pipelines" })).toBeVisible();
});
