// Two tabs editing the same pipeline: the second save is refused as a conflict and the user
// chooses; no edit is lost (the overwritten version stays in history and can be restored).
import { expect, test } from "@playwright/test";
import { nodeEl, palette, seedPipeline, waitSaved } from "./canvas-helpers";

test.use({ viewport: { width: 1400, height: 900 } });

test("a stale tab's save is a conflict; overwrite and reload lose nothing", async ({ context, request }) => {
  const id = await seedPipeline(request, `Two tabs ${Date.now()}`);
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto(`/pipelines/${id}`);
  await b.goto(`/pipelines/${id}`);
  await expect(a.getByText("Empty pipeline.")).toBeVisible();
  await expect(b.getByText("Empty pipeline.")).toBeVisible();

  // Tab A adds a source and saves version 2.
  await palette(a).getByRole("button", { name: "Read parquet" }).click();
  await expect(nodeEl(a, "read_1")).toBeVisible();
  await expect(a.getByRole("status", { name: "Save status" })).toHaveText("Saved · v2");

  // Tab B, still on version 1, adds a sink: its save is refused as a conflict.
  await palette(b).getByRole("button", { name: "Write" }).click();
  const conflict = b.getByRole("dialog", { name: "This pipeline was changed elsewhere" });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText("version 2; you edited version 1");
  await expect(b.getByRole("status", { name: "Save status" })).toHaveText("Conflict");
  await expect(nodeEl(b, "write_1")).toBeVisible(); // B's edit is still on screen

  // B overwrites: its document becomes version 3; A's version 2 stays in the history.
  await conflict.getByRole("button", { name: "Overwrite (save mine)" }).click();
  await expect(conflict).toBeHidden();
  await expect(b.getByRole("status", { name: "Save status" })).toHaveText("Saved · v3");
  await b.getByRole("tab", { name: "History" }).click();
  await expect(b.getByRole("list", { name: "Versions" }).getByRole("listitem")).toHaveCount(3);

  // A edits again: now A is stale. It reloads, sees B's pipeline, and restores its own version 2.
  await palette(a).getByRole("button", { name: "Sort" }).click();
  const conflictA = a.getByRole("dialog", { name: "This pipeline was changed elsewhere" });
  await expect(conflictA).toContainText("version 3; you edited version 2");
  await conflictA.getByRole("button", { name: "Reload (discard mine)" }).click();
  await expect(conflictA).toBeHidden();
  await expect(nodeEl(a, "write_1")).toBeVisible();
  await expect(nodeEl(a, "read_1")).toHaveCount(0);
  await waitSaved(a);
  await a.getByRole("tab", { name: "History" }).click();
  await a.getByRole("button", { name: "Restore v2" }).click();
  await expect(nodeEl(a, "read_1")).toBeVisible();
  await expect(nodeEl(a, "write_1")).toHaveCount(0);
  await expect(a.getByRole("status", { name: "Save status" })).toHaveText("Saved · v4");
  await expect(a.getByRole("list", { name: "Versions" }).getByRole("listitem")).toHaveCount(4);
});
