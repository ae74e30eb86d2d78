// `npm run bench`: speed targets measured side by side in one run and printed as ratios with
// the hardware they ran on. Never assertions: machines are noisy.
//  1. compiled acceptance pipeline vs a hand-written tutorial-style Ray Data script (2M rows)
//  2. compile of a 500-node pipeline; validation + schema propagation of the same
//  3. preview (bench/preview-bench.ts): first and warm previews, dataset facts (5M rows)
//  4. runs (bench/runs-bench.ts): Run -> job RUNNING, event -> canvas latency, event overhead
//  5. canvas (bench/canvas.ts, in Chromium against the real app): open, drag frames, type errors
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile } from "../server/compiler";
import { analyze, parseDocument } from "../server/pipeline";
import { REVIEWS_SCHEMA } from "../server/pipeline/test-fixtures";
import { followJob } from "../server/runner/follow";
import { submitPipeline, SCRIPT_NAME } from "../server/runner/job-package";
import { LocalRay } from "../server/runner/local-ray";
import { buildZip } from "../server/runner/zip";
import type { PipelineDocument } from "../server/pipeline/schema";
import type { SourceLookup } from "../server/pipeline/types";
import { gatherContext } from "../server/services/pipeline-context";
import { withApp } from "./app-server";
import { canvasBench } from "./canvas";
import { chainPipeline } from "./chain-pipeline";
import { previewBench } from "./preview-bench";
import { runsBench } from "./runs-bench";

const root = path.resolve(import.meta.dirname, "..");
const cache = path.join(root, ".cache", "bench");
const ROWS = Number(process.env.BENCH_ROWS ?? 2_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function hardware(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function compileBench() {
  const doc = chainPipeline(500);
  const sources: Record<string, SourceLookup> = {
    read: { ok: true, info: { path: "data/reviews", schema: REVIEWS_SCHEMA, numRows: 1, sizeBytes: 1, files: 1, partitionKeys: ["product_category"] } },
  };
  const ctx = { sources, python: {} };
  for (let i = 0; i < 5; i++) compile(doc, ctx); // warm-up (JIT)
  const a: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < 30; i++) {
    let t = process.hrtime.bigint();
    const analysis = analyze(doc, ctx);
    a.push(ms(t));
    if (analysis.diagnostics.some((d) => d.severity === "error")) throw new Error(`bench pipeline invalid: ${analysis.diagnostics[0].message}`);
    t = process.hrtime.bigint();
    const out = compile(doc, ctx);
    c.push(ms(t));
    if (!out.python) throw new Error("bench pipeline did not compile");
  }
  console.log(`compile, ${doc.nodes.length}-node pipeline:       median ${median(c).toFixed(2)} ms  (target < 50 ms)`);
  console.log(`validate + propagate, ${doc.nodes.length} nodes:   median ${median(a).toFixed(2)} ms  (target < 20 ms)`);
}

async function rayBench() {
  const base = path.join(cache, "base");
  const data = path.join(base, "data", "reviews");
  const stampFile = path.join(data, "..", `.rows-${ROWS}`);
  if (!fs.existsSync(stampFile)) {
    fs.rmSync(data, { recursive: true, force: true });
    console.log(`generating ${ROWS.toLocaleString("en-US")} rows…`);
    execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", String(ROWS), "--out", data], { stdio: "inherit" });
    fs.writeFileSync(stampFile, "");
  }
  const du = spawnSync("du", ["-sb", data], { encoding: "utf8" }).stdout.split("\t")[0];
  const ray = new LocalRay({
    binDir: path.join(root, ".venv", "bin"),
    gcsPort: 6400,
    dashboardPort: 8290,
    objectStoreBytes: 4_000_000_000,
    tempDir: "/tmp/ray-etl-bench-6400",
    authTokenFile: path.join(cache, "ray-auth-token"),
    logFile: path.join(cache, "ray-head.log"),
  });
  await ray.start();
  try {
    process.env.ETL_BASE_DIR = base;
    const parsed = parseDocument(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
    const doc = parsed.doc as PipelineDocument;
    const out = compile(doc, await gatherContext(doc, base));
    if (!out.python) throw new Error(`example does not compile: ${JSON.stringify(out.diagnostics)}`);
    const handZip = buildZip([{ name: SCRIPT_NAME, data: fs.readFileSync(path.join(import.meta.dirname, "handwritten_reviews.py")) }]);
    const handUri = await ray.client.uploadPackage(handZip);

    const runJob = async (kind: "compiled" | "handwritten"): Promise<number> => {
      const t0 = Date.now();
      let id: string;
      if (kind === "compiled") {
        id = await submitPipeline(ray.client, { python: out.python!, pipelineId: "bench", root, baseDir: base });
      } else {
        id = `bench-hand-${Date.now()}`;
        await ray.client.submit({
          entrypoint: `python ${SCRIPT_NAME} ${data} ${path.join(base, "out", "handwritten")}`,
          submissionId: id,
          runtimeEnv: { working_dir: handUri, env_vars: { PYTHONUNBUFFERED: "1" } },
        });
      }
      const res = await followJob(ray.client, id, { intervalMs: 200 });
      if (res.info.status !== "SUCCEEDED") throw new Error(`${kind} job ${res.info.status}: ${res.log.split("\n").slice(-15).join("\n")}`);
      return (Date.now() - t0) / 1000;
    };
    await runJob("compiled"); // warm the workers and the runtime package once
    const compiled: number[] = [];
    const hand: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      hand.push(await runJob("handwritten"));
      compiled.push(await runJob("compiled"));
      console.log(`  round ${i + 1}: hand-written ${hand[i].toFixed(2)} s, compiled ${compiled[i].toFixed(2)} s`);
    }
    const ratio = median(compiled) / median(hand);
    console.log(`acceptance pipeline, ${ROWS.toLocaleString("en-US")} rows (${(Number(du) / 2 ** 20).toFixed(0)} MiB parquet), median of ${ROUNDS}:`);
    console.log(`  hand-written ${median(hand).toFixed(2)} s, compiled ${median(compiled).toFixed(2)} s  → compiled / hand-written = ${ratio.toFixed(2)} (target <= 0.8)`);
  } finally {
    await ray.stop();
  }
}

async function main() {
  console.log(`hardware: ${hardware()}`);
  const only = process.argv.slice(2);
  if (!only.length || only.includes("compile")) compileBench();
  if (!only.length || only.includes("ray")) await rayBench();
  if (!only.length || only.includes("preview")) await previewBench();
  if (!only.length || only.includes("runs")) await runsBench();
  if (!only.length || only.includes("canvas")) await withApp(Number(process.env.BENCH_APP_PORT ?? 3300), canvasBench);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
