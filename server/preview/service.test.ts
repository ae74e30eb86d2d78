// The preview service without Python: a fake worker records what it is asked. Cache keys follow
// the upstream sub-graph and the source files; a newer preview of a node cancels an older one.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "../pipeline";
import type { PipelineDocument } from "../pipeline/schema";
import { genReviews, REPO_ROOT, tempDir } from "../storage/testing";
import { PreviewService } from "./service";
import type { PreviewWorker, WorkerReply } from "./worker";

interface Call { payload: Record<string, unknown>; resolve: (r: WorkerReply) => void; signal?: AbortSignal }

/** A worker that answers only when told to (or at once, with `auto`). */
class FakeWorker {
  calls: Call[] = [];
  auto = true;
  request(payload: Record<string, unknown>, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<WorkerReply> {
    return new Promise((resolve) => {
      const call = { payload, resolve, signal: opts.signal };
      this.calls.push(call);
      opts.signal?.addEventListener("abort", () => resolve({ ok: false, error: { code: "CANCELLED", message: "cancelled", nodeId: null, line: null } }));
      if (this.auto) this.answer(call);
    });
  }
  answer(call: Call): void {
    call.resolve({
      ok: true,
      result: { columns: [{ name: "x", type: "int64" }], rows: [[1]], sampleRows: 1, outputRows: 1, sourceRowsRead: 1, sourceTruncated: false },
    });
  }
}

let base: { dir: string; cleanup: () => void };
const doc = (): PipelineDocument => parseDocument(fs.readFileSync(path.join(REPO_ROOT, "examples", "reviews.pipeline.json"), "utf8")).doc!;
const withExpr = (d: PipelineDocument, expression: string): PipelineDocument =>
  ({ ...d, nodes: d.nodes.map((n) => (n.id === "ratio" ? { ...n, params: { ...n.params, expression } } : n)) }) as PipelineDocument;

function service(worker = new FakeWorker()) {
  return { worker, svc: new PreviewService({ worker: worker as unknown as PreviewWorker, baseDir: base.dir, timeoutMs: 5000 }) };
}

beforeAll(() => {
  base = tempDir("etl-preview-svc-");
  genReviews(path.join(base.dir, "data", "reviews"), 500, "--files-per-partition", "1");
}, 60_000);
afterAll(() => base.cleanup());

describe("PreviewService", () => {
  it("sends the worker the compiled module, the source's files and the columns to read", async () => {
    const { worker, svc } = service();
    const r = await svc.preview({ document: doc(), nodeId: "drop", rows: 50 });
    expect(r).toMatchObject({ ok: true, nodeId: "drop", cached: false, sampleRows: 1 });
    const p = worker.calls[0].payload as { module: string; rows: number; source: { path: string; columns: string[]; files: { path: string; rows: number; partition: Record<string, string> }[] } };
    expect(p.module).toContain("def build_preview(read_sample):");
    expect(p.rows).toBe(50);
    expect(p.source.path).toBe(path.join(base.dir, "data", "reviews"));
    expect(p.source.columns).not.toContain("review_body");
    expect(p.source.files.length).toBeGreaterThan(1);
    expect(p.source.files[0].partition).toEqual({ product_category: "Apparel" });
    expect(p.source.files.reduce((a, f) => a + f.rows, 0)).toBe(500);
  });

  it("answers an unchanged sub-graph from the cache, whatever changed downstream or on the canvas", async () => {
    const { worker, svc } = service();
    await svc.preview({ document: doc(), nodeId: "ratio", rows: 100 });
    const moved = doc();
    moved.nodes = moved.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 9 }, name: `${n.name ?? ""} renamed` }));
    moved.nodes = moved.nodes.map((n) => (n.id === "keep" && n.kind === "udf-filter" ? { ...n, params: { ...n.params, source: "def keep(batch):\n    return batch['total_votes'] > 5\n" } } : n));
    const again = await svc.preview({ document: moved, nodeId: "ratio", rows: 100 });
    expect(again).toMatchObject({ ok: true, cached: true });
    expect(worker.calls).toHaveLength(1);
  });

  it("an upstream edit invalidates exactly the node and those downstream", async () => {
    const { worker, svc } = service();
    const ids = ["read", "ratio", "drop", "sort", "flag", "keep", "out"];
    for (const id of ids) await svc.preview({ document: doc(), nodeId: id, rows: 100 });
    expect(worker.calls).toHaveLength(ids.length);
    const edited = withExpr(doc(), "helpful_votes * 2");
    const cached: Record<string, boolean> = {};
    for (const id of ids) cached[id] = (await svc.preview({ document: edited, nodeId: id, rows: 100 })).cached;
    expect(cached).toEqual({ read: true, ratio: false, drop: false, sort: false, flag: false, keep: false, out: false });
  });

  it("a change of the source's files invalidates its previews", async () => {
    const { worker, svc } = service();
    await svc.preview({ document: doc(), nodeId: "read", rows: 10 });
    const file = path.join(base.dir, "data", "reviews", "product_category=Toys", "part-00000.parquet");
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    expect((await svc.preview({ document: doc(), nodeId: "read", rows: 10 })).cached).toBe(false);
    expect(worker.calls).toHaveLength(2);
  });

  it("a newer preview of the same node cancels the older one", async () => {
    const worker = new FakeWorker();
    worker.auto = false;
    const { svc } = service(worker);
    const older = svc.preview({ document: withExpr(doc(), "helpful_votes + 1"), nodeId: "ratio", rows: 100 });
    await until(() => worker.calls.length === 1);
    const newer = svc.preview({ document: withExpr(doc(), "helpful_votes + 2"), nodeId: "ratio", rows: 100 });
    await until(() => worker.calls.length === 2);
    expect(worker.calls[0].signal?.aborted).toBe(true);
    worker.answer(worker.calls[1]);
    expect(await older).toMatchObject({ ok: false, error: { code: "CANCELLED" } });
    expect(await newer).toMatchObject({ ok: true, cached: false });
  });

  it("shares one run between identical requests, and keeps previews of other nodes apart", async () => {
    const worker = new FakeWorker();
    worker.auto = false;
    const { svc } = service(worker);
    const a = svc.preview({ document: doc(), nodeId: "sort", rows: 100 });
    const b = svc.preview({ document: doc(), nodeId: "sort", rows: 100 });
    const c = svc.preview({ document: doc(), nodeId: "drop", rows: 100 });
    await until(() => worker.calls.length === 2);
    worker.calls.forEach((call) => worker.answer(call));
    expect((await Promise.all([a, b, c])).map((r) => r.ok)).toEqual([true, true, true]);
  });

  it("reports pipeline errors up to the node without running anything, pinned to their node", async () => {
    const { worker, svc } = service();
    const r = await svc.preview({ document: withExpr(doc(), "helpful_votes / nope"), nodeId: "sort", rows: 100 });
    expect(r).toMatchObject({ ok: false, error: { code: "INVALID", nodeId: "ratio" } });
    expect(worker.calls).toHaveLength(0);
  });

  it("reports a missing source on the read node", async () => {
    const { svc } = service();
    const d = doc();
    d.nodes = d.nodes.map((n) => (n.kind === "read-parquet" ? { ...n, params: { ...n.params, path: "data/missing" } } : n));
    const r = await svc.preview({ document: d, nodeId: "ratio", rows: 100 });
    expect(r).toMatchObject({ ok: false, error: { code: "SOURCE_ERROR", nodeId: "read" } });
    if (!r.ok) expect(r.error.message).not.toContain(base.dir);
  });

  it("says so for a node that does not exist", async () => {
    const { svc } = service();
    expect(await svc.preview({ document: doc(), nodeId: "nope", rows: 100 })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
