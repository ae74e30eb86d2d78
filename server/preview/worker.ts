// Supervises the warm Python preview worker (runtime/etl_runtime/preview/worker.py): spawns
// `python -m etl_runtime.preview.worker` in its own process group, speaks JSON lines over its
// stdin/stdout, runs one request at a time (a FIFO queue), kills the whole group when a
// request overruns its time limit, and starts a fresh worker after a kill or a crash.
// The worker starts no Ray cluster (it runs Ray Data's operators in its own process): it is
// ready once Python has imported Ray Data, a few seconds at most.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { pythonBin } from "../python/venv";

/** An error the worker (or its supervisor) reports for one request. */
export interface WorkerError {
  readonly code: string;
  readonly message: string;
  readonly nodeId: string | null;
  readonly line: number | null;
  readonly traceback?: readonly string[];
}

export type WorkerReply<T = unknown> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: WorkerError };

/** What the worker says once it can answer (Ray Data imported; no Ray cluster is started). */
export interface WorkerReady {
  readonly pid: number;
  readonly rayVersion: string;
  /** Importing Ray Data and the preview code, in Python. */
  readonly importMs: number;
  /** From the worker's main() to ready, in Python. */
  readonly startMs: number;
  /** From spawn to the ready line, as the supervisor saw it (Python's own start-up included). */
  readonly spawnMs: number;
}

export interface PreviewWorkerOptions {
  /** Python interpreter (default: the project's .venv). */
  readonly python?: string;
  /** Directory holding the etl_runtime package (default: $ETL_ROOT/runtime, else ./runtime). */
  readonly runtimeDir?: string;
  /** ETL_BASE_DIR of the worker: where relative read paths resolve (default: the server's). */
  readonly baseDir: string;
  /** Longest wait for the worker to import Ray Data and say it is ready (default 180 s: a busy machine). */
  readonly startTimeoutMs?: number;
  /** After a request's deadline, how long to wait for the worker to name the stuck UDF. */
  readonly stuckGraceMs?: number;
  /** Extra environment for the worker. */
  readonly env?: Readonly<Record<string, string>>;
  /** Receives supervisor events and the worker's stderr lines (default: silent). */
  readonly log?: (line: string) => void;
}

interface Job {
  readonly id: string;
  readonly payload: Record<string, unknown>;
  readonly timeoutMs: number;
  readonly resolve: (r: WorkerReply) => void;
  settled: boolean;
}

const STDERR_TAIL = 40;

/**
 * One supervised worker process. Requests queue; each gets a reply, never a rejection.
 * Example:
 *   const w = new PreviewWorker({ baseDir: "/work/app" });
 *   const r = await w.request({ op: "preview", ... }, { timeoutMs: 10_000 });
 *   if (!r.ok) r.error.code // "UDF_ERROR" | "TIMEOUT" | "WORKER_DIED" | "CANCELLED" | ...
 */
export class PreviewWorker {
  private child: ChildProcessWithoutNullStreams | null = null;
  private ready: Promise<WorkerReady> | null = null;
  private readyInfo: WorkerReady | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private stopped = false;
  private readonly stderrTail: string[] = [];
  private exitHook: (() => void) | null = null;
  /** How many worker processes were started and killed (for tests and the benchmark). */
  readonly stats = { starts: 0, kills: 0, crashes: 0 };

  constructor(private readonly opts: PreviewWorkerOptions) {}

  /** The running worker's facts, or null while none is ready. */
  get info(): WorkerReady | null {
    return this.readyInfo;
  }

  /** Starts the worker if none runs; resolves when it is ready. */
  start(): Promise<WorkerReady> {
    this.stopped = false;
    this.ready ??= this.spawn();
    return this.ready;
  }

  /**
   * Queue one request; resolves with the worker's reply, or a supervisor error (TIMEOUT,
   * WORKER_DIED, WORKER_START_FAILED, CANCELLED). `signal` cancels it while it waits in the
   * queue; once sent it runs to the end (its reply is then discarded by the caller).
   */
  request<T = unknown>(payload: Record<string, unknown>, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<WorkerReply<T>> {
    return new Promise<WorkerReply<T>>((resolve) => {
      const job: Job = { id: String(++this.seq), payload, timeoutMs: opts.timeoutMs, resolve: resolve as (r: WorkerReply) => void, settled: false };
      if (opts.signal?.aborted) return resolve(cancelled() as WorkerReply<T>);
      opts.signal?.addEventListener("abort", () => {
        if (this.current !== job) this.settle(job, cancelled());
      }, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Stops the worker (its whole process group) and fails what is queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.queue.splice(0)) this.settle(job, fail("WORKER_STOPPED", "The preview worker was stopped"));
    if (this.current) this.settle(this.current, fail("WORKER_STOPPED", "The preview worker was stopped"));
    this.current = null;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    this.killGroup("SIGTERM");
    const t = setTimeout(() => this.killGroup("SIGKILL"), 3000);
    await exited;
    clearTimeout(t);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private spawn(): Promise<WorkerReady> {
    const runtimeDir = this.opts.runtimeDir ?? path.join(process.env.ETL_ROOT ?? process.cwd(), "runtime");
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    delete env.RAY_ADDRESS; // the app's Jobs API; the worker starts its own local Ray
    Object.assign(env, {
      PYTHONPATH: [runtimeDir, env.PYTHONPATH].filter(Boolean).join(path.delimiter),
      PYTHONUNBUFFERED: "1",
      PYTHONDONTWRITEBYTECODE: "1",
      RAY_USAGE_STATS_ENABLED: "0",
      ETL_BASE_DIR: this.opts.baseDir,
      ...this.opts.env,
    });
    this.stats.starts++;
    // Its own process group, so one kill also stops anything a UDF started.
    const spawnedAt = performance.now();
    const child = spawn(this.opts.python ?? pythonBin(), ["-m", "etl_runtime.preview.worker"], {
      env: env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    this.stderrTail.length = 0;
    this.installExitHook();

    const ready = new Promise<WorkerReady>((resolve, reject) => {
      const startTimer = setTimeout(() => {
        reject(new Error(`the preview worker did not start within ${Math.round((this.opts.startTimeoutMs ?? 180_000) / 1000)} s`));
        this.killGroup("SIGKILL");
      }, this.opts.startTimeoutMs ?? 180_000);
      readline.createInterface({ input: child.stdout }).on("line", (line) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          this.log(`preview worker: unexpected output: ${line.slice(0, 200)}`);
          return;
        }
        if (msg.type === "ready") {
          clearTimeout(startTimer);
          this.readyInfo = { ...(msg as unknown as WorkerReady), spawnMs: Math.round(performance.now() - spawnedAt) };
          this.log(`preview worker ${child.pid} ready ${this.readyInfo.spawnMs} ms after spawn (imports ${this.readyInfo.importMs} ms)`);
          resolve(this.readyInfo);
          this.pump();
        } else if (msg.type === "stuck") this.onStuck(msg);
        else this.onReply(msg);
      });
      readline.createInterface({ input: child.stderr }).on("line", (line) => {
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
        if (process.env.ETL_PREVIEW_DEBUG === "1") this.log(`preview worker: ${line}`);
      });
      child.on("error", (e) => {
        clearTimeout(startTimer);
        reject(new Error(`cannot start the preview worker (${this.opts.python ?? pythonBin()}): ${e.message}`));
      });
      child.on("exit", (code, signal) => {
        clearTimeout(startTimer);
        reject(new Error(`the preview worker exited during start-up (${signal ?? `exit ${code}`}): ${this.stderrTail.slice(-5).join(" | ")}`));
        this.onExit(child, code, signal);
      });
    });
    ready.catch((e: Error) => {
      this.log(`preview worker: ${e.message}`);
      if (this.ready === ready) this.ready = null; // the next request tries again
      // Nothing can run: fail the queue rather than leave callers waiting.
      // The details (Python's stderr) go to the server log, not to the user.
      const why = /did not start within/.test(e.message) ? " (it did not start in time: the machine is busy)" : "";
      for (const job of this.queue.splice(0)) {
        this.settle(job, fail("WORKER_START_FAILED", `The preview worker could not start${why}; it starts again on the next preview. Details are in the server log.`));
      }
    });
    return ready;
  }

  private pump(): void {
    if (this.current || this.stopped) return;
    while (this.queue.length && this.queue[0].settled) this.queue.shift();
    const job = this.queue[0];
    if (!job) return;
    if (!this.readyInfo || !this.child) {
      void this.start().catch(() => undefined);
      return;
    }
    this.queue.shift();
    this.current = job;
    this.child.stdin.write(JSON.stringify({ ...job.payload, id: job.id, timeoutMs: job.timeoutMs }) + "\n");
    const grace = this.opts.stuckGraceMs ?? 1500;
    this.timer = setTimeout(() => this.timeout(job, null, null), job.timeoutMs + grace);
  }

  private onReply(msg: Record<string, unknown>): void {
    const job = this.current;
    if (!job || msg.id !== job.id) return; // a reply to a request already timed out
    this.finishCurrent();
    this.settle(job, msg.ok === true ? { ok: true, result: msg.result } : { ok: false, error: toError(msg.error) });
    this.pump();
  }

  private onStuck(msg: Record<string, unknown>): void {
    const job = this.current;
    if (!job || msg.id !== job.id) return;
    this.timeout(job, typeof msg.nodeId === "string" ? msg.nodeId : null, typeof msg.line === "number" ? msg.line : null);
  }

  /** The request overran its limit: kill the worker, answer TIMEOUT, start a fresh one. */
  private timeout(job: Job, nodeId: string | null, line: number | null): void {
    if (this.current !== job) return;
    this.finishCurrent();
    const secs = job.timeoutMs / 1000;
    const where = nodeId ? `the Python code of node ${nodeId}${line ? ` (line ${line})` : ""}` : "the preview";
    this.settle(job, { ok: false, error: { code: "TIMEOUT", nodeId, line, message: `Stopped after ${secs} s: ${where} was still running. The preview worker was restarted.` } });
    this.stats.kills++;
    this.log(`preview worker: request ${job.id} ran over ${secs} s; killing worker ${this.child?.pid}`);
    this.restart();
  }

  private finishCurrent(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = null;
  }

  private restart(): void {
    const old = this.child;
    this.killGroup("SIGKILL");
    this.child = null;
    this.ready = null;
    this.readyInfo = null;
    if (old) old.removeAllListeners("exit");
    if (!this.stopped) void this.start().catch(() => undefined);
  }

  private onExit(child: ChildProcessWithoutNullStreams, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.ready = null;
    this.readyInfo = null;
    // The group may still hold processes a UDF started; they belong to this worker only.
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    if (this.stopped) return;
    this.stats.crashes++;
    const job = this.current;
    this.finishCurrent();
    const why = `${signal ?? `exit code ${code}`}${this.stderrTail.length ? `: ${this.stderrTail.slice(-3).join(" | ")}` : ""}`;
    this.log(`preview worker ${child.pid} stopped (${why})`);
    if (job) this.settle(job, fail("WORKER_DIED", `The preview worker stopped while running this preview (${signal ?? `exit code ${code}`}); it was restarted.`));
    if (this.queue.length) void this.start().catch(() => undefined);
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  private installExitHook(): void {
    if (this.exitHook) return;
    // When the server exits, the worker (and its Ray) must not outlive it.
    this.exitHook = () => this.killGroup("SIGKILL");
    process.once("exit", this.exitHook);
  }

  private settle(job: Job, reply: WorkerReply): void {
    if (job.settled) return;
    job.settled = true;
    job.resolve(reply);
  }
}

function fail(code: string, message: string): WorkerReply {
  return { ok: false, error: { code, message, nodeId: null, line: null } };
}

function cancelled(): WorkerReply {
  return fail("CANCELLED", "A newer preview of this node replaced this one");
}

function toError(e: unknown): WorkerError {
  const o = (e ?? {}) as Record<string, unknown>;
  return {
    code: typeof o.code === "string" ? o.code : "INTERNAL",
    message: typeof o.message === "string" ? o.message : "The preview failed",
    nodeId: typeof o.nodeId === "string" ? o.nodeId : null,
    line: typeof o.line === "number" ? o.line : null,
    traceback: Array.isArray(o.traceback) ? o.traceback.filter((l): l is string => typeof l === "string") : undefined,
  };
}
