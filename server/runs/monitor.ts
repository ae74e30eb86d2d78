// The run monitor: one loop in the app process (or its own process) that submits queued runs
// within the concurrency limit and follows every submitted/running run on Ray — job status and
// log — folding new events into stage records and settling the final state. Everything it
// knows is in the database and on Ray, so a restarted monitor simply carries on: runs still
// running are followed again by submission id, runs that ended meanwhile are settled, and the
// stored log offset means no event is counted twice.
import { jobConnections } from "../connections/job-env";
import { connectionsFrom } from "../connections/store";
import type { Db } from "../db";
import { parseDocument } from "../pipeline";
import { submitPipeline } from "../runner/job-package";
import { RayUnreachableError, TERMINAL_STATUSES, type RayJobInfo, type RayJobsClient } from "../runner/ray-jobs";
import { claimNext } from "./claim";
import { cleanupRunOutputs } from "./cleanup";
import { cleanupS3Staging } from "./cleanup-s3";
import { runConfig, type RunConfig } from "./config";
import { closeStages, foldLog, logTail, type StageRecord } from "./fold";
import { setMonitorHandle } from "./monitor-handle";

export interface RunMonitorOptions {
  readonly db: Db;
  readonly client: RayJobsClient;
  /** Repository root (runtime/etl_runtime is shipped from here). */
  readonly root: string;
  /** ETL_BASE_DIR for jobs: where relative pipeline paths resolve. */
  readonly baseDir: string;
  readonly config?: Partial<RunConfig>;
  readonly log?: (msg: string) => void;
}

type RunRow = NonNullable<Awaited<ReturnType<Db["run"]["findUnique"]>>>;

/** A submitted run Ray has never heard of is resubmitted after this long (its submitter died). */
const ORPHAN_AFTER_MS = 20_000;
/** Ray answers 5xx "No available agent to submit job, please try again later" for a few seconds
 * after a head starts: such runs go back to the queue for up to this long before failing. */
const TRANSIENT_SUBMIT = /\((50[234])\)|try again later/i;
const REQUEUE_FOR_MS = 30_000;
/** A cancel is repeated this often until Ray reports the job stopped. */
const STOP_RETRY_MS = 2_000;

const toStageRecord = (s: Awaited<ReturnType<Db["runStage"]["findMany"]>>[number]): StageRecord => ({
  key: s.key,
  stage: s.stage,
  nodes: JSON.parse(s.nodes) as string[],
  sink: s.sink,
  state: s.state as StageRecord["state"],
  rowsOut: s.rowsOut === null ? null : Number(s.rowsOut),
  bytesOut: s.bytesOut === null ? null : Number(s.bytesOut),
  startedAt: s.startedAt,
  endedAt: s.endedAt,
});

const big = (n: number | null) => (n === null ? null : BigInt(Math.round(n)));

export class RunMonitor {
  readonly config: RunConfig;
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private readonly unreachableSince = new Map<string, number>();
  private readonly lastStop = new Map<string, number>();
  private readonly submitting = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly firstRefusal = new Map<string, number>();
  private lastReap = 0;
  private readonly log: (m: string) => void;

  constructor(private readonly o: RunMonitorOptions) {
    this.config = { ...runConfig(), ...o.config };
    this.log = o.log ?? ((m) => console.log(`[runs] ${m}`));
  }

  /** Starts the loop; the first pass (re-attach, settle, dispatch) runs before this resolves. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    setMonitorHandle({ wake: () => this.wake() });
    const active = await this.o.db.run.count({ where: { state: { in: ["submitted", "running"] } } });
    if (active) this.log(`re-attaching to ${active} run${active === 1 ? "" : "s"} on ${this.o.client.address}`);
    await this.tick();
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    setMonitorHandle(undefined);
    this.wake();
    await this.loopDone;
    await this.drain();
  }

  /** Look at the queue and the runs now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      await new Promise<void>((resolve) => {
        if (this.woken) return resolve();
        const t = setTimeout(resolve, this.config.ETL_RUN_POLL_MS);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
      this.woken = false;
      if (!this.running) break;
      await this.tick();
    }
  }

  /** One pass: submit what the limit allows, then follow every active run. Never throws. */
  async tick(): Promise<void> {
    try {
      await this.dispatch();
      const active = await this.o.db.run.findMany({ where: { state: { in: ["submitted", "running"] } }, orderBy: { createdAt: "asc" } });
      await Promise.all(active.filter((r) => !this.submitting.has(r.id)).map((r) => this.follow(r).catch((e) => this.log(`following ${r.id} failed: ${e instanceof Error ? e.message : e}`))));
      await this.reapLost();
    } catch (e) {
      this.log(`monitor pass failed: ${e instanceof Error ? e.stack ?? e.message : e}`);
    }
  }

  // --- submission -------------------------------------------------------------------------

  /** Claims what the limit allows and submits each in the background: an upload or a busy
   * head can take long, and following the other runs must not wait for it. */
  private async dispatch(): Promise<void> {
    for (;;) {
      const id = await claimNext(this.o.db, this.config.ETL_MAX_CONCURRENT_RUNS);
      if (!id) return;
      const run = await this.o.db.run.findUnique({ where: { id } });
      if (run) this.launchSubmit(run);
    }
  }

  private launchSubmit(run: RunRow): void {
    if (this.submitting.has(run.id)) return;
    this.submitting.add(run.id);
    const p: Promise<void> = this.submit(run).then(
      (outcome) => { if (outcome === "submitted") this.wake(); },
      (e) => this.log(`submitting ${run.id} failed: ${e instanceof Error ? e.message : e}`),
    ).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves once the submissions started so far are done (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private async submit(run: RunRow): Promise<"submitted" | "requeued" | "failed"> {
    // S3 connections go to the job sealed in its runtime_env (+ the key in its package), never
    // into the run record (server/connections/job-env.ts).
    let job: Awaited<ReturnType<typeof jobConnections>>;
    try {
      const { doc } = parseDocument(run.document);
      job = doc ? await jobConnections(connectionsFrom(this.o.db), doc) : { envVars: {}, files: [] };
    } catch (e) {
      const msg = e instanceof Error && "userMessage" in e ? String((e as { userMessage: string }).userMessage) : "its S3 connections could not be read";
      await this.fail(run, "CONNECTION", `The run was not submitted: ${msg}`);
      return "failed";
    }
    try {
      await submitPipeline(this.o.client, {
        envVars: job.envVars,
        files: job.files,
        python: run.script,
        pipelineId: run.pipelineId,
        root: this.o.root,
        baseDir: this.o.baseDir,
        submissionId: run.id,
        metadata: { runId: run.id, trigger: run.trigger, pipelineVersion: String(run.pipelineVersion) },
      });
      this.firstRefusal.delete(run.id);
      await this.o.db.run.updateMany({ where: { id: run.id, rayStatus: null }, data: { rayStatus: "PENDING", rayMessage: null } });
      this.log(`submitted ${run.id} (${run.pipelineId} v${run.pipelineVersion}) to ${this.o.client.address}`);
      return "submitted";
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/already exists/i.test(msg)) return "submitted"; // another process (or an earlier attempt) got there first
      if (TRANSIENT_SUBMIT.test(msg) && (await this.requeue(run, msg))) return "requeued";
      if (e instanceof RayUnreachableError) {
        await this.fail(run, "RAY_UNREACHABLE", `${msg}. The run was not submitted; retry it once Ray is back.`);
      } else {
        await this.fail(run, "SUBMIT_FAILED", `Ray refused the job: ${msg}`);
      }
      return "failed";
    } finally {
      this.submitting.delete(run.id);
    }
  }

  /** Puts a run Ray could not take yet back in the queue, for up to REQUEUE_FOR_MS. */
  private async requeue(run: RunRow, msg: string): Promise<boolean> {
    const first = this.firstRefusal.get(run.id) ?? Date.now();
    this.firstRefusal.set(run.id, first);
    if (Date.now() - first > REQUEUE_FOR_MS) {
      this.firstRefusal.delete(run.id);
      return false;
    }
    await this.o.db.run.updateMany({
      where: { id: run.id, state: "submitted", rayStatus: null },
      data: { state: "queued", submittedAt: null, rayMessage: `Ray is not ready yet, trying again: ${msg}` },
    });
    return true;
  }

  private async fail(run: RunRow, code: string, message: string): Promise<void> {
    const n = await this.o.db.run.updateMany({
      where: { id: run.id, state: { in: ["queued", "submitted", "running"] } },
      // A job we lost contact with may still run: ask for it to be stopped once Ray answers again.
      data: { state: "failed", endedAt: new Date(), errorCode: code, errorMessage: message, errorNodeId: null, errorUdfLine: null, ...(code === "RAY_LOST" ? { cancelRequested: true } : {}) },
    });
    if (n.count) {
      this.log(`${run.id} failed: ${message}`);
      await this.closeOpenStages(run.id, "failed", new Date());
    }
  }

  // --- following ----------------------------------------------------------------------------

  private async follow(run: RunRow): Promise<void> {
    const client = this.o.client;
    let info: RayJobInfo | null;
    try {
      info = await client.get(run.id);
    } catch (e) {
      if (!(e instanceof RayUnreachableError)) throw e;
      const now = Date.now();
      const since = this.unreachableSince.get(run.id) ?? now;
      this.unreachableSince.set(run.id, since);
      if (now - since >= this.config.ETL_RAY_LOST_AFTER_MS) {
        this.unreachableSince.delete(run.id);
        await this.fail(run, "RAY_LOST", `${e.message}; lost contact with the job for ${Math.round((now - since) / 1000)} s. Its outcome is unknown; retry the run once Ray is back.`);
      } else if (run.rayMessage !== e.message) {
        await this.o.db.run.updateMany({ where: { id: run.id, state: run.state }, data: { rayMessage: e.message } });
      }
      return;
    }
    this.unreachableSince.delete(run.id);

    if (!info) return this.unknownToRay(run);

    const terminal = TERMINAL_STATUSES.includes(info.status);
    if (run.cancelRequested && !terminal) await this.repeatStop(run.id);

    let log = "";
    if (info.status !== "PENDING") {
      try {
        log = await client.logs(run.id);
      } catch (e) {
        if (e instanceof RayUnreachableError) return; // try again next pass
        throw e;
      }
    }
    await this.apply(run, info, log);
  }

  /**
   * Runs failed with RAY_LOST gave up on a job that may still be running: once Ray answers
   * again, stop such a job (so it cannot commit output behind a failed run) and record its end.
   */
  private async reapLost(): Promise<void> {
    if (Date.now() - this.lastReap < STOP_RETRY_MS) return;
    this.lastReap = Date.now();
    const lost = await this.o.db.run.findMany({
      where: { state: "failed", errorCode: "RAY_LOST", cancelRequested: true, NOT: { rayStatus: { in: ["STOPPED", "SUCCEEDED", "FAILED", "GONE"] } } },
      take: 20,
    });
    for (const run of lost) {
      let info: RayJobInfo | null;
      try {
        info = await this.o.client.get(run.id);
      } catch {
        return; // still out of reach
      }
      if (info && !TERMINAL_STATUSES.includes(info.status)) {
        this.log(`${run.id}: Ray is back and the job still runs; stopping it`);
        await this.o.client.stop(run.id).catch(() => false);
        continue;
      }
      await this.o.db.run.updateMany({ where: { id: run.id }, data: { rayStatus: info?.status ?? "GONE", rayMessage: info?.message ?? null } });
      if (info?.status !== "SUCCEEDED") cleanupRunOutputs(run.document, run.id, this.o.baseDir);
      else this.log(`${run.id}: the job succeeded after contact was lost; its output was committed`);
    }
  }

  private async repeatStop(id: string): Promise<void> {
    const last = this.lastStop.get(id) ?? 0;
    if (Date.now() - last < STOP_RETRY_MS) return;
    this.lastStop.set(id, Date.now());
    await this.o.client.stop(id).catch(() => false);
  }

  /** Ray does not know the job: resubmit an orphaned claim, or fail a job Ray lost. */
  private async unknownToRay(run: RunRow): Promise<void> {
    if (run.rayStatus === null) {
      const age = Date.now() - (run.submittedAt ?? run.createdAt).getTime();
      if (age < ORPHAN_AFTER_MS) return; // its submitter may still be uploading
      if (run.cancelRequested) {
        await this.settle(run, "cancelled", {}, new Date());
        return;
      }
      this.log(`${run.id} was claimed but never reached Ray; submitting it again`);
      this.launchSubmit(run);
      return;
    }
    await this.fail(run, "RAY_LOST", `Ray at ${this.o.client.address} no longer knows job ${run.id} (was the cluster restarted?). Retry the run.`);
  }

  /** Folds the new part of the log, updates the run and its stages, settles a finished job. */
  private async apply(run: RunRow, info: RayJobInfo, log: string): Promise<void> {
    const db = this.o.db;
    const stored = new Map((await db.runStage.findMany({ where: { runId: run.id } })).map((s) => [s.key, toStageRecord(s)]));
    const fold = foldLog(log, run.eventsOffset, stored);
    const data: Parameters<Db["run"]["updateMany"]>[0]["data"] = {};
    if (info.status !== run.rayStatus) data.rayStatus = info.status;
    if ((info.message ?? null) !== run.rayMessage) data.rayMessage = info.message ?? null;
    if (fold.offset !== run.eventsOffset) {
      data.eventsOffset = fold.offset;
      data.logTail = logTail(log);
    }
    if (run.state === "submitted" && (info.status !== "PENDING" || fold.startedAt)) {
      data.state = "running";
      data.startedAt = fold.startedAt ?? (info.start_time ? new Date(info.start_time) : new Date());
    }
    if (fold.succeeded) data.rowsWritten = JSON.stringify(fold.succeeded.rowsWritten);
    if (fold.failed && !fold.failed.cancelled) {
      Object.assign(data, {
        errorCode: "JOB_FAILED",
        errorNodeId: fold.failed.nodeId,
        errorMessage: fold.failed.message,
        errorUdfLine: fold.failed.udfLine,
        errorTraceback: JSON.stringify(fold.failed.traceback),
      });
    }
    const upserts = [...fold.stages.values()].map((s) => this.upsertStage(run.id, s));
    if (upserts.length || Object.keys(data).length) {
      await db.$transaction([
        ...upserts,
        db.run.updateMany({ where: { id: run.id, state: { in: ["submitted", "running"] } }, data }),
      ]);
    }
    if (!TERMINAL_STATUSES.includes(info.status)) return;

    const outcome = info.status === "SUCCEEDED" ? "succeeded"
      : info.status === "STOPPED" || run.cancelRequested || fold.failed?.cancelled ? "cancelled"
      : "failed";
    const hasError = Boolean(run.errorMessage || (fold.failed && !fold.failed.cancelled));
    const error: Record<string, string> = outcome === "failed" && !hasError
      ? { errorCode: "JOB_FAILED", errorMessage: `The Ray job failed: ${(info.message ?? "no message").slice(0, 2000)}` }
      : {};
    await this.settle(run, outcome, error, info.end_time ? new Date(info.end_time) : new Date());
  }

  private upsertStage(runId: string, s: StageRecord) {
    const fields = {
      stage: s.stage,
      nodes: JSON.stringify(s.nodes),
      sink: s.sink,
      state: s.state,
      rowsOut: big(s.rowsOut),
      bytesOut: big(s.bytesOut),
      startedAt: s.startedAt,
      endedAt: s.endedAt,
    };
    return this.o.db.runStage.upsert({
      where: { runId_key: { runId, key: s.key } },
      create: { runId, key: s.key, ...fields },
      update: fields,
    });
  }

  private async closeOpenStages(runId: string, outcome: "succeeded" | "failed" | "cancelled", endedAt: Date): Promise<void> {
    const open = await this.o.db.runStage.findMany({ where: { runId, state: { in: ["pending", "running"] } } });
    const closed = closeStages(open.map(toStageRecord), outcome, endedAt);
    if (closed.length) await this.o.db.$transaction(closed.map((s) => this.upsertStage(runId, s)));
  }

  private async settle(run: RunRow, outcome: "succeeded" | "failed" | "cancelled", error: Record<string, string>, endedAt: Date): Promise<void> {
    const n = await this.o.db.run.updateMany({
      where: { id: run.id, state: { in: ["submitted", "running"] } },
      data: { state: outcome, endedAt, ...error },
    });
    if (!n.count) return; // someone else settled it
    await this.closeOpenStages(run.id, outcome, endedAt);
    if (outcome === "cancelled") {
      // The stop interrupts every running operator and the runtime reports them failed; in a
      // cancelled run nothing failed by itself.
      await this.o.db.runStage.updateMany({ where: { runId: run.id, state: "failed" }, data: { state: "cancelled" } });
    }
    this.lastStop.delete(run.id);
    this.log(`${run.id} ${outcome}`);
    if (outcome !== "succeeded") {
      try {
        const r = cleanupRunOutputs(run.document, run.id, this.o.baseDir);
        for (const p of r.removed) this.log(`${run.id}: removed leftover staging ${p}`);
        for (const p of r.restored) this.log(`${run.id}: restored the previous output ${p}`);
      } catch (e) {
        this.log(`${run.id}: cleaning up staging failed: ${e instanceof Error ? e.message : e}`);
      }
      await cleanupS3Staging(run.document, run.id, connectionsFrom(this.o.db)).then(
        (keys) => { if (keys.length) this.log(`${run.id}: removed ${keys.length} leftover staged S3 object(s)`); },
        (e) => this.log(`${run.id}: cleaning up S3 staging failed: ${e instanceof Error ? e.message.split("\n")[0] : e}`),
      );
    }
  }
}
