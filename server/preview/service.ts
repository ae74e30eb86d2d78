// Preview service: sample rows after any node. Lists the source's files, keys the preview by
// its upstream sub-graph and those files, answers from the cache when it can, otherwise
// compiles the preview module (server/compiler/preview.ts) and has the warm worker run it.
// A newer preview of the same node of the same pipeline cancels an older one still waiting.
import type { PythonCheck } from "../pipeline";
import type { PipelineDocument } from "../pipeline/schema";
import type { SourceLookup } from "../pipeline/types";
import { compilePreview, previewSubgraph } from "../compiler";
import { checkPythonSources } from "../python/check-udf";
import { jobEnv, S3_CONNECTIONS_ENV } from "../connections/job-env";
import type { Connections } from "../connections/store";
import { inspectSourceFiles, resolvePath } from "../services/pipeline-context";
import { Lru } from "../storage/lru";
import { previewKey, type FileStamp } from "./key";
import { PREVIEW_ERROR_CODES, type PreviewError, type PreviewErrorCode, type PreviewOk, type PreviewResult } from "./types";
import type { PreviewWorker, WorkerError } from "./worker";

export interface PreviewServiceOptions {
  readonly worker: PreviewWorker;
  /** Where relative read paths resolve: must be the worker's ETL_BASE_DIR. */
  readonly baseDir: string;
  /** Per-preview limit before the worker is killed (default $ETL_PREVIEW_TIMEOUT_MS or 10 s). */
  readonly timeoutMs?: number;
  /** Largest sample a preview may grow to when filters leave too few rows (default 20,000). */
  readonly maxSourceRows?: number;
  /** Cached answers kept (default 500). */
  readonly cacheEntries?: number;
}

export interface PreviewInput {
  readonly document: PipelineDocument;
  readonly nodeId: string;
  /** Rows to show (the sample starts at this many source rows). */
  readonly rows: number;
  /** Ignore a cached answer and run again. */
  readonly refresh?: boolean;
  /** Resolves the S3 connections read nodes name (their settings go to the worker per request). */
  readonly connections?: Connections | null;
}

interface WorkerResult {
  columns: { name: string; type: string }[] | null;
  rows: unknown[][];
  sampleRows: number;
  outputRows: number;
  sourceRowsRead: number;
  sourceTruncated: boolean;
}

// Outcomes that the same code on the same input would produce again.
const CACHEABLE: ReadonlySet<PreviewErrorCode> = new Set(["INVALID", "UDF_ERROR", "NODE_ERROR", "TIMEOUT", "PREVIEW_UNSUPPORTED"]);

/** Timeout from $ETL_PREVIEW_TIMEOUT_MS, default 10 s. Example: previewTimeoutMs() // 10000 */
export function previewTimeoutMs(): number {
  const v = Number(process.env.ETL_PREVIEW_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 10_000;
}

/**
 * Example:
 *   const svc = new PreviewService({ worker, baseDir: "/app" });
 *   const r = await svc.preview({ document: doc, nodeId: "keep", rows: 100 });
 *   if (r.ok) r.rows.length // 100; else r.error // { code: "UDF_ERROR", nodeId: "keep", line: 2, message: "..." }
 */
export class PreviewService {
  private readonly cache: Lru<string, PreviewResult>;
  private readonly inflight = new Map<string, Promise<PreviewResult>>();
  private readonly slots = new Map<string, { key: string; ctrl: AbortController }>();
  private readonly pyChecks = new Lru<string, PythonCheck>(512);

  constructor(private readonly opts: PreviewServiceOptions) {
    this.cache = new Lru(opts.cacheEntries ?? 500);
  }

  get worker(): PreviewWorker {
    return this.opts.worker;
  }

  async preview(input: PreviewInput, opts: { signal?: AbortSignal } = {}): Promise<PreviewResult> {
    const t0 = performance.now();
    const { document: doc, nodeId } = input;
    const failed = (error: PreviewError): PreviewResult => ({ ok: false, nodeId, cached: false, error, ms: round(performance.now() - t0) });

    if (!doc.nodes.some((n) => n.id === nodeId)) return failed(err("NOT_FOUND", `No node ${nodeId} in this pipeline`, null));
    const sub = previewSubgraph(doc, nodeId);
    if (!sub) return failed(err("INVALID", "This write has no single input to preview", nodeId));

    // The source(s) feeding the node: their files identify the data's version.
    const reads = doc.nodes.filter((n) => n.kind === "read-parquet" && sub.upstream.includes(n.id));
    const sources: Record<string, SourceLookup> = {};
    const stamps: FileStamp[] = [];
    const files: Record<string, { path: string; rows: number; partition: Record<string, string> }[]> = {};
    for (const r of reads) {
      if (r.kind !== "read-parquet" || r.params.path.trim() === "") continue;
      const listed = await inspectSourceFiles(r.params.path.trim(), r.params.connection, input.connections ?? null, this.opts.baseDir);
      if (!listed.ok) return failed(err("SOURCE_ERROR", listed.message.replaceAll(this.opts.baseDir + "/", ""), r.id));
      sources[r.id] = { ok: true, info: listed.facts.info };
      for (const f of listed.files) stamps.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs });
      files[r.id] = listed.files.map((f) => ({ path: f.path, rows: f.numRows, partition: { ...f.partition } }));
    }

    const rows = Math.max(1, Math.floor(input.rows));
    const key = previewKey(doc, nodeId, sub.upstream, stamps, { rows, maxSourceRows: this.maxSourceRows });
    if (!input.refresh) {
      const hit = this.cache.get(key);
      if (hit) return { ...hit, nodeId, cached: true, ms: round(performance.now() - t0) };
    }

    const slotKey = `${doc.id}\u0000${nodeId}`;
    let running = this.inflight.get(key);
    let slot = this.slots.get(slotKey);
    if (!running || slot?.key !== key) {
      slot?.ctrl.abort(); // a newer preview of this node replaces the older one
      slot = { key, ctrl: new AbortController() };
      this.slots.set(slotKey, slot);
      const mine = slot;
      running = this.inflight.get(key) ?? this.run(doc, nodeId, rows, sources, files, mine.ctrl.signal, input.connections ?? null);
      this.inflight.set(key, running);
      void running.then((r) => {
        if (!r.ok && r.error.code === "CANCELLED") return;
        if (r.ok || CACHEABLE.has(r.error.code)) this.cache.set(key, r);
      }).finally(() => {
        if (this.inflight.get(key) === running) this.inflight.delete(key);
        if (this.slots.get(slotKey) === mine) this.slots.delete(slotKey);
      });
    }
    const ctrl = slot.ctrl;
    const result = await Promise.race([running, aborted(ctrl.signal), ...(opts.signal ? [aborted(opts.signal)] : [])]);
    if (result === "aborted" || ctrl.signal.aborted) return failed(err("CANCELLED", "A newer preview of this node replaced this one", nodeId));
    return { ...result, nodeId, cached: false, ms: round(performance.now() - t0) };
  }

  private get maxSourceRows(): number {
    return this.opts.maxSourceRows ?? 20_000;
  }

  private async run(
    doc: PipelineDocument,
    nodeId: string,
    rows: number,
    sources: Record<string, SourceLookup>,
    files: Record<string, { path: string; rows: number; partition: Record<string, string> }[]>,
    signal: AbortSignal,
    connections: Connections | null,
  ): Promise<PreviewResult> {
    const t0 = performance.now();
    const base = { nodeId, cached: false };
    const failed = (error: PreviewError): PreviewResult => ({ ok: false, ...base, error, ms: round(performance.now() - t0) });

    const python = await this.pythonChecks(doc, previewSubgraph(doc, nodeId)!.upstream);
    const compiled = compilePreview(doc, nodeId, { sources, python });
    if (!compiled.python || !compiled.read) {
      const upstream = new Set(compiled.subgraph?.upstream ?? [nodeId]);
      const errors = compiled.diagnostics.filter((d) => d.severity === "error");
      const first = errors.find((d) => d.nodeId && upstream.has(d.nodeId)) ?? errors[0];
      return failed(err("INVALID", first ? first.message : "The pipeline up to this node cannot be compiled", first?.nodeId ?? nodeId, first?.line ?? null));
    }
    if (signal.aborted) return failed(err("CANCELLED", "A newer preview of this node replaced this one", nodeId));
    const read = compiled.read;
    // A filter upstream usually keeps a fraction of the rows: start with a larger sample rather
    // than run twice (the worker still grows it when too few rows come out).
    const filtered = compiled.ir?.ops.some((o) => o.kind === "udf-filter") ?? false;
    const reply = await this.opts.worker.request<WorkerResult>({
      op: "preview",
      nodeId,
      module: compiled.python,
      rows,
      sourceRows: filtered ? Math.min(rows * 10, Math.max(rows, this.maxSourceRows)) : rows,
      maxSourceRows: Math.max(rows, this.maxSourceRows),
      source: { path: resolvePath(read.path.trim(), this.opts.baseDir), columns: read.columns, files: files[read.nodeId] ?? [] },
      // the settings of the connections the module names (rt.filesystem), for this request only
      connections: JSON.parse((await jobEnv(connections, doc.nodes.some((n) => n.id === read.nodeId) ? { ...doc, nodes: doc.nodes.filter((n) => n.id === read.nodeId) } : doc))[S3_CONNECTIONS_ENV] ?? "{}"),
    }, { timeoutMs: this.opts.timeoutMs ?? previewTimeoutMs(), signal });
    if (!reply.ok) return failed(fromWorker(reply.error, nodeId));
    const r = reply.result;
    const columns = r.columns ?? (compiled.schema ?? []).map((c) => ({ name: c.name, type: c.type }));
    return {
      ok: true,
      ...base,
      columns,
      rows: r.rows as PreviewOk["rows"],
      sampleRows: r.sampleRows,
      outputRows: r.outputRows,
      sourceRowsRead: r.sourceRowsRead,
      sourceTruncated: r.sourceTruncated,
      ms: round(performance.now() - t0),
    };
  }

  /** Syntax checks (and the columns filters read) for the UDFs up to the node, cached by source. */
  private async pythonChecks(doc: PipelineDocument, upstream: readonly string[]): Promise<Record<string, PythonCheck>> {
    const want = new Set(upstream);
    const out: Record<string, PythonCheck> = {};
    const todo: Record<string, string> = {};
    for (const n of doc.nodes) {
      if (!want.has(n.id)) continue;
      const source = n.kind === "udf-filter" || (n.kind === "add-column" && n.params.mode === "python") ? n.params.source : null;
      if (!source || !source.trim()) continue;
      const hit = this.pyChecks.get(source);
      if (hit) out[n.id] = hit;
      else todo[n.id] = source;
    }
    if (Object.keys(todo).length) {
      const checked = await checkPythonSources(todo);
      for (const [id, check] of Object.entries(checked)) {
        out[id] = check;
        this.pyChecks.set(todo[id], check);
      }
    }
    return out;
  }
}

function err(code: PreviewErrorCode, message: string, nodeId: string | null, line: number | null = null): PreviewError {
  return { code, message, nodeId, line };
}

function fromWorker(e: WorkerError, nodeId: string): PreviewError {
  const code = (PREVIEW_ERROR_CODES as readonly string[]).includes(e.code) ? (e.code as PreviewErrorCode) : "PREVIEW_FAILED";
  // A timeout with no UDF frame, or a worker that died, is about the previewed node as a whole.
  const at = e.nodeId ?? (code === "UDF_ERROR" || code === "NODE_ERROR" ? null : nodeId);
  return { code, message: e.message, nodeId: at, line: e.line, ...(e.traceback?.length ? { traceback: [...e.traceback] } : {}) };
}

function aborted(signal: AbortSignal): Promise<"aborted"> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve("aborted");
    else signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
