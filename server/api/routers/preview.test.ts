// sources.facts (dataset facts from footers, no data pages) and preview.node's input and
// answers for cases that need no worker, through a tRPC caller on a real SQLite database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db";
import { parseDocument } from "../../pipeline";
import { genReviews, REPO_ROOT } from "../../storage/testing";
import { createCaller } from "../root";
import { LOCAL_ACTOR } from "../../auth/actor";

let dir: string;
let database: Db;
let caller: ReturnType<typeof createCaller>;
const oldBase = process.env.ETL_BASE_DIR;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-preview-router-"));
  genReviews(path.join(dir, "data", "reviews"), 1200);
  process.env.ETL_BASE_DIR = dir;
  database = createDb(`file:${path.join(dir, "test.db")}`, REPO_ROOT);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
}, 60_000);
afterAll(async () => {
  if (oldBase === undefined) delete process.env.ETL_BASE_DIR;
  else process.env.ETL_BASE_DIR = oldBase;
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("sources.facts", () => {
  it("gives row count, size, files, partitions, schema and one sample row", async () => {
    const r = await caller.sources.facts({ path: "data/reviews" });
    if (!r.ok) throw new Error(r.message);
    expect(r.facts).toMatchObject({ path: "data/reviews", numRows: 1200, partitionKeys: ["product_category"], partitionCount: 12 });
    expect(r.facts.files).toBeGreaterThanOrEqual(12);
    expect(r.facts.sizeBytes).toBeGreaterThan(10_000);
    expect(r.facts.schema.map((c) => c.name)).toContain("review_body");
    expect(r.facts.schema.at(-1)).toEqual({ name: "product_category", type: "string", nullable: true });
    const one = await caller.sources.sample({ path: "data/reviews" });
    if (!one.ok) throw new Error(one.message);
    expect(one.sample).toMatchObject({ product_category: "Apparel" });
    expect(one.sample?.review_date).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it("reports a missing path without leaking where it resolved", async () => {
    for (const r of [await caller.sources.facts({ path: "no/such" }), await caller.sources.sample({ path: "no/such" })]) {
      expect(r).toMatchObject({ ok: false, code: "E_SOURCE_NOT_FOUND" });
      if (!r.ok) expect(r.message).not.toContain(dir);
    }
  });
});

describe("preview.node", () => {
  const doc = () => parseDocument(fs.readFileSync(path.join(REPO_ROOT, "examples", "reviews.pipeline.json"), "utf8")).doc!;

  it("validates its input", async () => {
    await expect(caller.preview.node({ document: doc(), nodeId: "keep", rows: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.preview.node({ document: { nodes: [] } as never, nodeId: "keep" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("answers errors that need no worker as data, pinned to their node", async () => {
    expect(await caller.preview.node({ document: doc(), nodeId: "nope" })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const broken = doc();
    broken.nodes = broken.nodes.map((n) => (n.id === "ratio" && n.kind === "add-column" ? { ...n, params: { ...n.params, expression: "helpful_votes +" } } : n));
    const r = await caller.preview.node({ document: broken, nodeId: "sort" });
    expect(r).toMatchObject({ ok: false, nodeId: "sort", cached: false, error: { code: "INVALID", nodeId: "ratio" } });
  });
});
