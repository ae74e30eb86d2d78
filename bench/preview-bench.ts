// Benchmark section `preview` (npm run bench -- preview): the acceptance pipeline on a 5M-row
// dataset (generated once into .cache/bench/preview). Prints, never asserts:
//  - worker start (spawn to ready: Python importing Ray Data; no Ray cluster is started, the
//    worker runs Ray Data's operators in its own process) and the first preview asked for
//    right at spawn, as right after the server starts (target < 5 s);
//  - warm previews of 100 rows at the last node before the sink, run again each time
//    (refresh: past the cache): median and p95 of 30, plus a cache hit;
//  - dataset facts of the source (footers only, what sources.facts does), cold and warm; the
//    sample row (sources.sample) cold.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseDocument } from "../server/pipeline";
import type { PipelineDocument } from "../server/pipeline/schema";
import { PreviewService } from "../server/preview/service";
import { PreviewWorker } from "../server/preview/worker";
import { sourceFacts, sourceSample } from "../server/preview/facts";
import { clearFooterCache } from "../server/storage";

const root = path.resolve(import.meta.dirname, "..");
const base = path.join(root, ".cache", "bench", "preview");
const ROWS = Number(process.env.BENCH_PREVIEW_ROWS ?? 5_000_000);
const RUNS = 30;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

function dataset(): string {
  const data = path.join(base, "data", "reviews");
  const stamp = path.join(base, "data", `.rows-${ROWS}`);
  if (!fs.existsSync(stamp)) {
    fs.rmSync(data, { recursive: true, force: true });
    console.log(`generating ${ROWS.toLocaleString("en-US")} rows for the preview benchmark…`);
    execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", String(ROWS), "--out", data], { stdio: "inherit" });
    fs.writeFileSync(stamp, "");
  }
  return data;
}

export async function previewBench(): Promise<void> {
  const data = dataset();
  const doc = parseDocument(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8")).doc as PipelineDocument;
  const sink = doc.nodes.find((n) => n.kind === "write")!;
  const node = doc.edges.find((e) => e.target === sink.id)!.source; // the last node before the sink
  const worker = new PreviewWorker({ baseDir: base });
  const svc = new PreviewService({ worker, baseDir: base, timeoutMs: 60_000 });
  try {
    // First preview after start: asked for at spawn time, as right after the server starts.
    const t0 = performance.now();
    const startup = worker.start();
    const first = await svc.preview({ document: doc, nodeId: node, rows: 100 });
    const firstMs = performance.now() - t0;
    const ready = await startup;
    if (!first.ok) throw new Error(`preview failed: ${first.error.code} ${first.error.message}`);

    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await svc.preview({ document: doc, nodeId: node, rows: 100, refresh: true });
      warm.push(performance.now() - t);
      if (!r.ok) throw new Error(`preview failed: ${r.error.message}`);
    }
    const hits: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await svc.preview({ document: doc, nodeId: node, rows: 100 });
      hits.push(performance.now() - t);
    }

    // What sources.facts does (footers only, cached per file version), then sources.sample
    // (one row: a data page per column, cached per file version), each cold then warm.
    const t1 = performance.now();
    clearFooterCache();
    const cold = await sourceFacts(data);
    const factsCold = performance.now() - t1;
    const facts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await sourceFacts(data);
      facts.push(performance.now() - t);
    }
    const t2 = performance.now();
    await sourceSample(data);
    const sampleCold = performance.now() - t2;

    const rows = cold.ok ? cold.facts.info.numRows : null;
    console.log(`preview, acceptance pipeline on ${rows?.toLocaleString("en-US") ?? "?"} rows, ${RUNS} runs each:`);
    console.log(`  worker start, spawn to ready (no Ray cluster; Ray Data imports ${fmt(ready.importMs)}): ${fmt(ready.spawnMs)}`);
    console.log(`  first preview of ${node}, asked for at worker spawn: ${fmt(firstMs)}  (target < 5000 ms)`);
    console.log(`  warm preview of ${node}, 100 rows (read ${first.sourceRowsRead} source rows), run again each time: median ${fmt(pct(warm, 50))}, p95 ${fmt(pct(warm, 95))}  (targets < 300 / < 800 ms)`);
    console.log(`  same preview from the cache: median ${fmt(pct(hits, 50))}, p95 ${fmt(pct(hits, 95))}`);
    console.log(`  dataset facts from footers (rows, bytes, files, partitions, schema): first ${fmt(factsCold)} (every footer read), then median ${fmt(pct(facts, 50))}, p95 ${fmt(pct(facts, 95))}  (target < 200 ms)`);
    console.log(`  one sample row (its own request, shown after the facts): first ${fmt(sampleCold)} (a data page per column)`);
  } finally {
    await worker.stop();
  }
}
