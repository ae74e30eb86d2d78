// The `etl` command line: check, compile, run and inspect pipelines and datasets.
//   npm run etl -- check FILE [--json]
//   npm run etl -- compile FILE [--out FILE.py]
//   npm run etl -- run FILE [--address RAY_JOBS_URL] [--keep-ray]
//   npm run etl -- inspect PATH [--connection NAME] [--json]
// S3 connections (named on nodes) come from the app's database ($DATABASE_URL, $ETL_SECRET_KEY).
//   npm run etl -- preview FILE NODE_ID [--rows N] [--json]
import fs from "node:fs";
import path from "node:path";
import { compile } from "../compiler";
import { connectionNames, jobConnections } from "../connections/job-env";
import type { Connections } from "../connections/store";
import type { PipelineDocument } from "../pipeline/schema";
import { s3DatasetFacts } from "../storage/s3-parquet";
import { parseS3Uri } from "../storage/s3";
import { analyze, parseDocument } from "../pipeline";
import type { Diagnostic } from "../pipeline/diagnostics";
import { followJob } from "../runner/follow";
import { submitPipeline } from "../runner/job-package";
import type { LocalRay } from "../runner/local-ray";
import { localRayFromEnv, rayAddress, rayClient } from "../runner/ray-service";
import { baseDir, gatherContext } from "../services/pipeline-context";
import { datasetFacts, sampleRow } from "../storage";
import { formatInspection } from "../storage/inspect-format";
import { formatPreview } from "../preview/format";
import { PreviewService } from "../preview/service";
import { PreviewWorker } from "../preview/worker";
import { ProgressView } from "./progress";

const USAGE = `usage: etl <command> [options]
  check FILE [--json]                      diagnostics for a pipeline file
  compile FILE [--out FILE.py]             print the generated Ray Data script
  run FILE [--address URL] [--keep-ray]    run on Ray (default: a local head, started if needed)
  inspect PATH [--connection NAME] [--json] dataset facts from parquet footers, without reading data
  preview FILE NODE_ID [--rows N] [--json] sample rows after a node (the pipeline's own code on a sample)
  connection add|list|test|delete ...      S3 connections in the app's database (secrets from env vars)`;

const cwd = process.env.INIT_CWD ?? process.cwd();
const root = process.env.ETL_ROOT ?? process.cwd();

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}
function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined) fail(`${name} needs a value`);
  args.splice(i, 2);
  return v;
}
function fail(msg: string, code = 2): never {
  process.stderr.write(`etl: ${msg}\n`);
  process.exit(code);
}

/** The app database's S3 connections, opened only when something needs one. */
let openedConnections: Connections | null = null;
async function appConnections(): Promise<Connections> {
  if (!openedConnections) {
    const [{ db }, { connectionsFrom }] = await Promise.all([import("../db"), import("../connections/store")]);
    openedConnections = connectionsFrom(db());
  }
  return openedConnections;
}
const connectionsFor = async (doc: PipelineDocument) => (connectionNames(doc).length ? appConnections() : null);

function formatDiagnostic(d: Diagnostic): string {
  const where = [d.nodeId && `node ${d.nodeId}`, d.field, d.line && `line ${d.line}`].filter(Boolean).join(", ");
  return `${d.severity} ${d.code}${where ? ` (${where})` : ""}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ""}`;
}

async function load(file: string | undefined) {
  if (!file) fail(`missing FILE\n${USAGE}`);
  const p = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(p, "utf8");
  } catch (e) {
    fail(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  const parsed = parseDocument(text);
  if (!parsed.doc) return { doc: null, diagnostics: parsed.diagnostics, ctx: null };
  const ctx = await gatherContext(parsed.doc, undefined, await connectionsFor(parsed.doc));
  return { doc: parsed.doc, diagnostics: parsed.diagnostics, ctx };
}

async function cmdCheck(args: string[]) {
  const json = flag(args, "--json");
  const { doc, diagnostics, ctx } = await load(args[0]);
  const all = doc && ctx ? [...diagnostics, ...analyze(doc, ctx).diagnostics] : diagnostics;
  if (json) process.stdout.write(`${JSON.stringify({ ok: !all.some((d) => d.severity === "error"), diagnostics: all }, null, 2)}\n`);
  else if (all.length === 0) process.stdout.write("ok: no problems found\n");
  else process.stdout.write(`${all.map(formatDiagnostic).join("\n")}\n`);
  process.exit(all.some((d) => d.severity === "error") ? 1 : 0);
}

async function compileFile(file: string | undefined) {
  const { doc, diagnostics, ctx } = await load(file);
  if (!doc || !ctx) return { doc: null, python: null, diagnostics };
  const out = compile(doc, ctx);
  return { doc, python: out.python, diagnostics: [...diagnostics, ...out.diagnostics] };
}

async function cmdCompile(args: string[]) {
  const outFile = option(args, "--out");
  const { python, diagnostics } = await compileFile(args[0]);
  if (!python) {
    process.stderr.write(`${diagnostics.map(formatDiagnostic).join("\n")}\n`);
    process.exit(1);
  }
  if (outFile) fs.writeFileSync(path.resolve(cwd, outFile), python);
  else process.stdout.write(python);
}

async function cmdRun(args: string[]) {
  const address = option(args, "--address") ?? process.env.RAY_ADDRESS;
  const keepRay = flag(args, "--keep-ray");
  const { doc, python, diagnostics } = await compileFile(args[0]);
  if (!doc || !python) {
    process.stderr.write(`${diagnostics.map(formatDiagnostic).join("\n")}\n`);
    process.exit(1);
  }
  let local: LocalRay | null = null;
  const client = rayClient(10_000, address ?? rayAddress());
  if (!(await client.isUp())) {
    if (address) fail(`Ray is not reachable at ${address}`, 1);
    local = localRayFromEnv((m) => process.stderr.write(`etl: ${m}\n`));
    await local.start();
  }
  const stopRay = async () => {
    if (local && !keepRay) await local.stop();
  };
  process.on("SIGINT", () => void stopRay().then(() => process.exit(130)));
  try {
    const started = Date.now();
    const job = await jobConnections(await connectionsFor(doc), doc).catch((e) => fail(e.userMessage ?? e.message, 1));
    const id = await submitPipeline(client, { python, pipelineId: doc.id, root, baseDir: baseDir(), envVars: job.envVars, files: job.files });
    process.stdout.write(`submitted ${id} to ${client.address}\n`);
    const view = new ProgressView();
    const result = await followJob(client, id, { onEvents: (ev) => view.update(ev) });
    const failed = result.events.find((e) => e.type === "run-failed");
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (result.info.status === "SUCCEEDED" && !failed) {
      const ok = result.events.find((e) => e.type === "run-succeeded") as { rowsWritten?: Record<string, number> } | undefined;
      const rows = Object.entries(ok?.rowsWritten ?? {}).map(([k, v]) => `${k}: ${v.toLocaleString("en-US")} rows`).join(", ");
      process.stdout.write(`succeeded in ${secs}s${rows ? ` (${rows})` : ""}\n`);
      await stopRay();
      process.exit(0);
    }
    if (failed && failed.type === "run-failed") {
      const where = failed.nodeId ? `node ${failed.nodeId}${failed.udfLine ? `, line ${failed.udfLine}` : ""}: ` : "";
      process.stderr.write(`failed after ${secs}s: ${where}${failed.message}\n`);
    } else {
      process.stderr.write(`failed after ${secs}s: Ray job ${result.info.status}: ${result.info.message ?? ""}\n${result.log.split("\n").slice(-25).join("\n")}\n`);
    }
    await stopRay();
    process.exit(1);
  } catch (e) {
    await stopRay();
    fail(e instanceof Error ? e.message : String(e), 1);
  }
}

async function cmdInspect(args: string[]) {
  const json = flag(args, "--json");
  const connection = option(args, "--connection");
  if (!args[0]) fail(`missing PATH\n${USAGE}`);
  if (parseS3Uri(args[0])) {
    if (!connection) fail("an s3:// path needs --connection NAME (a connection saved in the app)");
    const settings = await (await appConnections()).settings(connection);
    if (!settings) fail(`there is no S3 connection named '${connection}'`, 1);
    const facts = await s3DatasetFacts(args[0], settings);
    if (!facts.ok) fail(`${facts.code}: ${facts.message}`, 1);
    if (json) process.stdout.write(`${JSON.stringify({ ...facts.facts, sample: null }, null, 2)}\n`);
    else process.stdout.write(`${formatInspection(facts.facts, null)}\n`);
    return;
  }
  const p = path.resolve(cwd, args[0]);
  const facts = await datasetFacts(p);
  if (!facts.ok) fail(`${facts.code}: ${facts.message}`, 1);
  const sample = await sampleRow(p);
  if (json) process.stdout.write(`${JSON.stringify({ ...facts.facts, sample }, null, 2)}\n`);
  else process.stdout.write(`${formatInspection(facts.facts, sample)}\n`);
}

async function cmdPreview(args: string[]) {
  const json = flag(args, "--json");
  const rowsArg = option(args, "--rows");
  const rows = rowsArg === undefined ? 20 : Number(rowsArg);
  if (!Number.isInteger(rows) || rows < 1 || rows > 5000) fail("--rows must be a whole number from 1 to 5000");
  const nodeId = args[1];
  if (!nodeId) fail(`missing NODE_ID\n${USAGE}`);
  const { doc, diagnostics } = await load(args[0]);
  if (!doc) fail(diagnostics.map(formatDiagnostic).join("\n"), 1);
  if (!doc.nodes.some((n) => n.id === nodeId)) fail(`no node ${nodeId} in ${args[0]} (nodes: ${doc.nodes.map((n) => n.id).join(", ")})`);
  // A worker of its own for this one preview: Ray start-up takes a few seconds.
  const worker = new PreviewWorker({ baseDir: baseDir(), log: (m) => process.env.ETL_PREVIEW_DEBUG === "1" && process.stderr.write(`etl: ${m}\n`) });
  const service = new PreviewService({ worker, baseDir: baseDir() });
  process.on("SIGINT", () => void worker.stop().then(() => process.exit(130)));
  try {
    const result = await service.preview({ document: doc, nodeId, rows, connections: await connectionsFor(doc) });
    process.stdout.write(`${json ? JSON.stringify(result, null, 2) : formatPreview(result)}\n`);
    await worker.stop();
    process.exit(result.ok ? 0 : 1);
  } catch (e) {
    await worker.stop();
    fail(e instanceof Error ? e.message : String(e), 1);
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case "check": return cmdCheck(args);
    case "compile": return cmdCompile(args);
    case "run": return cmdRun(args);
    case "inspect": return cmdInspect(args);
    case "preview": return cmdPreview(args);
    case "connection": {
      const { cmdConnection } = await import("./connections");
      process.exit(await cmdConnection(args));
    }
    default: fail(USAGE);
  }
}

void main();
