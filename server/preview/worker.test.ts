// The real preview worker (Python, Ray Data without a Ray cluster) under its supervisor: rows come back, a UDF
// that raises is pinned to its node and line, a UDF that never ends is stopped at the time
// limit (the worker is killed and restarted, the node says so) and the next preview works.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "../pipeline";
import type { PipelineDocument } from "../pipeline/schema";
import { genReviews, REPO_ROOT, tempDir } from "../storage/testing";
import { PreviewService } from "./service";
import { PreviewWorker } from "./worker";

const START = 600_000; // Python importing Ray Data on a busy 2-core machine, with a margin
let base: { dir: string; cleanup: () => void };
let worker: PreviewWorker;
let svc: PreviewService;

const doc = (): PipelineDocument => parseDocument(fs.readFileSync(path.join(REPO_ROOT, "examples", "reviews.pipeline.json"), "utf8")).doc!;
function withSource(id: string, source: string): PipelineDocument {
  const d = doc();
  d.nodes = d.nodes.map((n) => (n.id === id && (n.kind === "udf-filter" || n.kind === "add-column") ? { ...n, params: { ...n.params, source } } : n)) as PipelineDocument["nodes"];
  return d;
}

beforeAll(async () => {
  base = tempDir("etl-preview-worker-");
  genReviews(path.join(base.dir, "data", "reviews"), 3000);
  worker = new PreviewWorker({ baseDir: base.dir, log: (m) => process.env.ETL_PREVIEW_DEBUG === "1" && console.log(m) });
  svc = new PreviewService({ worker, baseDir: base.dir, timeoutMs: 4000 });
  await worker.start();
}, START);

afterAll(async () => {
  await worker?.stop();
  base?.cleanup();
}, 60_000);

describe("preview worker", () => {
  it("previews every node of the acceptance pipeline", async () => {
    for (const id of ["read", "ratio", "drop", "sort", "flag", "keep", "out"]) {
      const r = await svc.preview({ document: doc(), nodeId: id, rows: 25 });
      if (!r.ok) throw new Error(`${id}: ${JSON.stringify(r.error)}`);
      expect(r.sampleRows, id).toBe(25);
      expect(r.sourceRowsRead, id).toBeGreaterThanOrEqual(25);
    }
    const keep = await svc.preview({ document: doc(), nodeId: "keep", rows: 25 });
    if (!keep.ok) throw new Error("keep failed");
    const col = (name: string) => keep.columns.findIndex((c) => c.name === name);
    expect(keep.columns.find((c) => c.name === "low_votes")?.type).toBe("bool");
    expect(keep.columns.find((c) => c.name === "review_date")?.type).toBe("date32");
    expect(keep.rows.every((r) => r[col("marketplace")] === "US" && (r[col("total_votes")] as number) > 0)).toBe(true);
    const votes = keep.rows.map((r) => r[col("total_votes")] as number);
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
    expect(keep.rows.every((r) => typeof r[col("review_date")] === "string" && /^\d{4}-\d\d-\d\d$/.test(r[col("review_date")] as string))).toBe(true);
  }, START);

  it("pins an exception in a UDF to its node and the line of the user's code", async () => {
    const d = withSource("flag", "def compute(batch):\n    ratio = 1\n    return batch['total_votes'] / (ratio - 1) > missing_name\n");
    const r = await svc.preview({ document: d, nodeId: "keep", rows: 10 });
    expect(r).toMatchObject({ ok: false, error: { code: "UDF_ERROR", nodeId: "flag", line: 3 } });
    if (!r.ok) {
      expect(r.error.message).toContain("NameError");
      expect(r.error.message).toContain("missing_name");
    }
  }, START);

  it("pins a Python syntax error to its node and line before running anything", async () => {
    const r = await svc.preview({ document: withSource("keep", "def keep(batch):\n    return batch[\n"), nodeId: "keep", rows: 10 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.nodeId).toBe("keep");
  }, START);

  it("stops a UDF that never ends, says so on its node, and the next preview works", async () => {
    const kills = worker.stats.kills;
    const looping = withSource("keep", "def keep(batch):\n    n = 0\n    while True:\n        n += 1\n");
    const t0 = Date.now();
    const r = await svc.preview({ document: looping, nodeId: "keep", rows: 10 });
    expect(Date.now() - t0).toBeLessThan(4000 + 10_000);
    expect(r).toMatchObject({ ok: false, error: { code: "TIMEOUT", nodeId: "keep" } });
    if (!r.ok) {
      expect([3, 4]).toContain(r.error.line);
      expect(r.error.message).toMatch(/Stopped after 4 s/);
    }
    expect(worker.stats.kills).toBe(kills + 1);

    const next = await svc.preview({ document: doc(), nodeId: "keep", rows: 10, refresh: true });
    expect(next).toMatchObject({ ok: true, cached: false, sampleRows: 10 });
  }, START);
});
