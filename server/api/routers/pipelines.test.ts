// Router tests through a tRPC caller against a real, freshly migrated SQLite database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db";
import { createCaller } from "../root";
import { LOCAL_ACTOR } from "../../auth/actor";

let dir: string;
let database: Db;
let caller: ReturnType<typeof createCaller>;

const root = path.resolve(__dirname, "../../..");

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-router-"));
  // relative pipeline paths (data/reviews) resolve against ETL_BASE_DIR: give it a small dataset
  execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", "2000", "--out", path.join(dir, "data", "reviews")]);
  process.env.ETL_BASE_DIR = dir;
  database = createDb(`file:${path.join(dir, "test.db")}`, root);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const example = () => JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../examples/reviews.pipeline.json"), "utf8"));

describe("pipelines router", () => {
  it("creates, lists and reads back a pipeline exactly", async () => {
    const created = await caller.pipelines.create({ name: "Amazon reviews", document: example() });
    expect(created).toMatchObject({ id: "amazon-reviews", version: 1 });
    const list = await caller.pipelines.list();
    expect(list.map((p) => p.id)).toContain("amazon-reviews");
    const got = await caller.pipelines.get({ id: "amazon-reviews" });
    expect(got.document.nodes).toEqual(example().nodes.map((n: object) => expect.objectContaining(n)));
    expect(got.document.edges).toEqual(example().edges);
  });

  it("gives a second pipeline of the same name its own id", async () => {
    const a = await caller.pipelines.create({ name: "Same name" });
    const b = await caller.pipelines.create({ name: "Same name" });
    expect(a.id).not.toBe(b.id);
  });

  it("saves with the current version and refuses a stale one as a conflict, losing nothing", async () => {
    const { id } = await caller.pipelines.create({ name: "Conflicts" });
    const v1 = await caller.pipelines.get({ id });
    const tabA = { ...v1.document, description: "edit from tab A" };
    const tabB = { ...v1.document, description: "edit from tab B" };
    expect(await caller.pipelines.save({ id, expectedVersion: 1, document: tabA })).toEqual({ version: 2 });
    await expect(caller.pipelines.save({ id, expectedVersion: 1, document: tabB })).rejects.toMatchObject({ code: "CONFLICT" });
    const now = await caller.pipelines.get({ id });
    expect(now.version).toBe(2);
    expect(now.document.description).toBe("edit from tab A");
    expect((await caller.pipelines.versions({ id })).map((v) => v.version)).toEqual([2, 1]);
  });

  it("refuses to import malformed documents, and saves nothing", async () => {
    const before = (await caller.pipelines.list()).length;
    await expect(caller.pipelines.create({ name: "Bad", document: { schemaVersion: 99, nodes: [], edges: [] } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller.pipelines.create({ name: "Bad", document: "{ not json" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await caller.pipelines.list()).length).toBe(before);
  });

  it("reports a missing pipeline as NOT_FOUND", async () => {
    await expect(caller.pipelines.get({ id: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("checks a document: diagnostics pinned to nodes", async () => {
    const doc = example();
    const drop = doc.nodes.find((n: { kind: string }) => n.kind === "drop-columns");
    drop.params.columns = ["no_such_column"];
    const res = await caller.pipelines.check({ document: doc });
    expect(res.diagnostics).toContainEqual(expect.objectContaining({ code: "E_COLUMN_UNKNOWN", nodeId: drop.id }));
  });
});
