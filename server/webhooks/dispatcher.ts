// Calls pipelines' webhooks for ended runs. Each tick: (1) every run that ended after its
// pipeline's webhook was set, failed (or succeeded, if asked) and has no delivery yet gets one —
// UNIQUE (runId) makes this idempotent across app processes; (2) due deliveries are claimed one
// by one with a conditional UPDATE (pending -> sending) and POSTed; a failure is retried with
// exponential backoff, up to MAX_ATTEMPTS. Decoupled from the run monitor: it only reads runs.
import type { Db } from "../db";

export interface WebhookDispatcherOptions {
  readonly db: Db;
  readonly now?: () => Date;
  /** First retry delay; then doubled per attempt (ms). */
  readonly retryBaseMs?: number;
  readonly maxAttempts?: number;
  readonly requestTimeoutMs?: number;
  readonly log?: (m: string) => void;
}

/** Runs that ended longer ago than this are never enqueued (a webhook set today is not called for last week's runs). */
const LOOKBACK_MS = 24 * 3_600_000;
/** A delivery stuck in "sending" (its process died mid-request) is retried after this long. */
const STUCK_AFTER_MS = 5 * 60_000;

export interface RunPayload {
  readonly event: "run.failed" | "run.succeeded";
  readonly run: {
    id: string; pipelineId: string; pipelineVersion: number; trigger: string; state: string;
    createdAt: string; startedAt: string | null; endedAt: string | null;
    rowsWritten: Record<string, number> | null;
    error: { code: string | null; nodeId: string | null; message: string; udfLine: number | null } | null;
  };
}

export class WebhookDispatcher {
  private readonly db: Db;
  private readonly now: () => Date;
  private readonly retryBaseMs: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly log: (m: string) => void;
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticking: Promise<void> | null = null;

  constructor(o: WebhookDispatcherOptions) {
    this.db = o.db;
    this.now = o.now ?? (() => new Date());
    this.retryBaseMs = o.retryBaseMs ?? 5_000;
    this.maxAttempts = o.maxAttempts ?? 5;
    this.timeoutMs = o.requestTimeoutMs ?? 10_000;
    this.log = o.log ?? ((m) => console.log(`[webhooks] ${m}`));
  }

  start(everyMs: number): void {
    if (this.timer) return;
    const run = () => {
      if (this.ticking) return;
      this.ticking = this.tick()
        .catch((e) => this.log(`tick failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => { this.ticking = null; });
    };
    this.timer = setInterval(run, everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  async tick(): Promise<void> {
    await this.enqueue();
    for (;;) {
      const id = await this.claim();
      if (id === null) break;
      await this.deliver(id);
    }
  }

  private async enqueue(): Promise<void> {
    const now = this.now();
    const hooks = await this.db.pipelineWebhook.findMany();
    for (const h of hooks) {
      const since = new Date(Math.max(h.updatedAt.getTime(), now.getTime() - LOOKBACK_MS));
      const runs = await this.db.run.findMany({
        where: { pipelineId: h.pipelineId, endedAt: { gte: since }, state: { in: h.onSuccess ? ["failed", "succeeded"] : ["failed"] } },
        take: 100,
      });
      if (!runs.length) continue;
      const done = new Set((await this.db.webhookDelivery.findMany({ where: { runId: { in: runs.map((r) => r.id) } }, select: { runId: true } })).map((d) => d.runId));
      for (const r of runs) {
        if (done.has(r.id)) continue;
        const payload: RunPayload = {
          event: r.state === "failed" ? "run.failed" : "run.succeeded",
          run: {
            id: r.id, pipelineId: r.pipelineId, pipelineVersion: r.pipelineVersion, trigger: r.trigger, state: r.state,
            createdAt: r.createdAt.toISOString(), startedAt: r.startedAt?.toISOString() ?? null, endedAt: r.endedAt?.toISOString() ?? null,
            rowsWritten: r.rowsWritten ? (JSON.parse(r.rowsWritten) as Record<string, number>) : null,
            error: r.errorMessage ? { code: r.errorCode, nodeId: r.errorNodeId, message: r.errorMessage, udfLine: r.errorUdfLine } : null,
          },
        };
        try {
          await this.db.webhookDelivery.create({ data: { runId: r.id, url: h.url, payload: JSON.stringify(payload), nextAttemptAt: now } });
        } catch (e) {
          const err = e as { code?: string; message?: string };
          if (err.code !== "P2002" && !/UNIQUE constraint failed/i.test(err.message ?? "")) throw e; // another process enqueued it
        }
      }
    }
  }

  /** Takes one due delivery for this process (pending -> sending), or null. */
  private async claim(): Promise<number | null> {
    const now = this.now();
    const due = await this.db.webhookDelivery.findFirst({
      where: { OR: [{ state: "pending", nextAttemptAt: { lte: now } }, { state: "sending", updatedAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) } }] },
      orderBy: { nextAttemptAt: "asc" },
      select: { id: true, state: true, attempts: true },
    });
    if (!due) return null;
    const won = await this.db.webhookDelivery.updateMany({
      where: { id: due.id, state: due.state, attempts: due.attempts },
      data: { state: "sending", attempts: due.attempts + 1 },
    });
    return won.count ? due.id : this.claim();
  }

  private async deliver(id: number): Promise<void> {
    const d = await this.db.webhookDelivery.findUniqueOrThrow({ where: { id } });
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "ray-etl-designer-webhook" },
        body: d.payload,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: "manual",
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      // the message of a failed fetch names the host at most, never the path or query
      error = e instanceof Error && e.name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : `could not connect (${(e as { cause?: { code?: string } }).cause?.code ?? "network error"})`;
    }
    if (!error) {
      await this.db.webhookDelivery.update({ where: { id }, data: { state: "delivered", lastError: null } });
      return;
    }
    const last = d.attempts >= this.maxAttempts;
    const delay = this.retryBaseMs * 2 ** (d.attempts - 1);
    await this.db.webhookDelivery.update({
      where: { id },
      data: { state: last ? "failed" : "pending", lastError: error, nextAttemptAt: new Date(this.now().getTime() + (last ? 0 : delay)) },
    });
    this.log(`run ${d.runId}: webhook attempt ${d.attempts} failed (${error})${last ? "; giving up" : `; retrying in ${Math.round(delay / 1000)} s`}`);
  }
}
