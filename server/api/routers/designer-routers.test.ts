// The procedures the canvas designer adds: rename, duplicate and restore (each a new version,
// refused as a conflict when stale), sources.inspect and python.check.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db";
import type { PipelineDocument } from "../../pipeline/schema";
import { createCaller } from "../root";
import { LOCAL_ACTOR } from "../../auth/actor";

let dir: string;
let database: Db;
let caller: ReturnType<typeof createCaller>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-designer-"));
  database = createDb(`file:${path.join(dir, "test.db")}`, path.resolve(__dirname, "../../.."));
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const withSort = (doc: PipelineDocument): PipelineDocument => ({
  ...doc,
  nodes: [...doc.nodes, { id: "sort_1", kind: "sort", position: { x: 0, y: 0 }, params: { keys: [] } }],
});

describe("pipelines: rename, duplicate, restore", () => {
  it("rename writes a new version carrying the new name", async () => {
    const p = await caller.pipelines.create({ name: "Before" });
    const r = await caller.pipelines.rename({ id: p.id, name: "After" });
    expect(r).toMatchObject({ id: p.id, name: "After", version: 2 });
    expect((await caller.pipelines.get({ id: p.id })).document.name).toBe("After");
    await expect(caller.pipelines.rename({ id: p.id, name: "Stale", expectedVersion: 1 })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("duplicate copies the document under a new id and name", async () => {
    const p = await caller.pipelines.create({ name: "Original" });
    const got = await caller.pipelines.get({ id: p.id });
    await caller.pipelines.save({ id: p.id, expectedVersion: 1, document: withSort(got.document) });
    const d = await caller.pipelines.duplicate({ id: p.id });
    expect(d).toMatchObject({ name: "Original (copy)", version: 1 });
    expect(d.id).not.toBe(p.id);
    const copy = await caller.pipelines.get({ id: d.id });
    expect(copy.document.id).toBe(d.id);
    expect(copy.document.nodes.map((n) => n.id)).toEqual(["sort_1"]);
  });

  it("restore saves an old version's document as the newest version", async () => {
    const p = await caller.pipelines.create({ name: "History" });
    const v1 = (await caller.pipelines.get({ id: p.id })).document;
    await caller.pipelines.save({ id: p.id, expectedVersion: 1, document: withSort(v1) });
    const restored = await caller.pipelines.restore({ id: p.id, version: 1, expectedVersion: 2 });
    expect(restored.version).toBe(3);
    expect(restored.document.nodes).toEqual([]);
    expect((await caller.pipelines.versions({ id: p.id })).map((v) => v.version)).toEqual([3, 2, 1]);
    await expect(caller.pipelines.restore({ id: p.id, version: 2, expectedVersion: 2 })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(caller.pipelines.restore({ id: p.id, version: 9, expectedVersion: 3 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("sources.inspect and python.check", () => {
  it("reports a missing path without leaking the resolved path", async () => {
    const r = await caller.sources.inspect({ path: "no/such/dataset" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe("E_SOURCE_NOT_FOUND");
      expect(r.message).not.toContain(path.resolve("no/such/dataset"));
    }
  });

  it("marks the line of a Python syntax error", async () => {
    const r = await caller.python.check({ sources: { a: "def keep(b):\n    return b.x > 0\n", b: "def keep(b):\n    return (\n" } });
    expect(r.a).toEqual({ ok: true });
    expect(r.b).toMatchObject({ ok: false, line: expect.any(Number) });
  });
});

