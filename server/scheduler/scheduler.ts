// The scheduler: every few seconds, fires each due slot of each enabled schedule exactly once,
// even with several app processes on one database. The claim is the INSERT of the slot into
// ScheduleFire (UNIQUE scheduleId+slot: one process wins, the others get a unique violation and
// do nothing); Schedule.nextFireAt then moves on with a conditional UPDATE (only from the value
// this process read), so a stale reader never moves it back. After downtime only the latest
// missed slot fires, marked late. Runs start through the same createRun (queue + concurrency
// limit) as manual runs, with trigger "schedule".
import { SCHEDULER_ACTOR } from "../auth/actor";
import type { Db } from "../db";
import { AppError } from "../errors";
import { createRun, type CreateRunInput } from "../runs/service";
import { dueSlot } from "./cron";

export interface SchedulerOptions {
  readonly db: Db;
  /** The clock, injected so tests can drive a simulated day. */
  readonly now?: () => Date;
  /** Starts a run; the app uses createRun (the tests too). */
  readonly startRun?: (db: Db, input: CreateRunInput) => Promise<string>;
  /** A slot fired more than this long after its time is late (ms). */
  readonly lateAfterMs?: number;
  readonly log?: (m: string) => void;
}

export type FireOutcome = "started" | "skipped" | "failed";

/** What one tick did for one schedule (only the process that won the claim reports it). */
export interface Fired {
  readonly scheduleId: string;
  readonly slot: Date;
  readonly late: boolean;
  readonly missed: number;
  readonly outcome: FireOutcome;
  readonly runId: string | null;
  readonly message: string | null;
}

type ScheduleRow = NonNullable<Awaited<ReturnType<Db["schedule"]["findUnique"]>>>;

const ACTIVE = ["queued", "submitted", "running"];
/** Due schedules handled per tick; the rest wait for the next one. */
const BATCH = 50;

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  return err?.code === "P2002" || /UNIQUE constraint failed/i.test(err?.message ?? "");
}

export class Scheduler {
  private readonly db: Db;
  private readonly now: () => Date;
  private readonly startRun: (db: Db, input: CreateRunInput) => Promise<string>;
  private readonly lateAfterMs: number;
  private readonly log: (m: string) => void;
  /** Slots this instance found due but another instance had already claimed (for tests and logs). */
  lostClaims = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticking: Promise<Fired[]> | null = null;

  constructor(o: SchedulerOptions) {
    this.db = o.db;
    this.now = o.now ?? (() => new Date());
    this.startRun = o.startRun ?? createRun;
    this.lateAfterMs = o.lateAfterMs ?? 60_000;
    this.log = o.log ?? ((m) => console.log(`[scheduler] ${m}`));
  }

  /** Ticks every `everyMs`; a tick still going is never overlapped by the next. */
  start(everyMs: number): void {
    if (this.timer) return;
    const run = () => {
      if (this.ticking) return;
      this.ticking = this.tick()
        .catch((e) => {
          this.log(`tick failed: ${e instanceof Error ? e.message : String(e)}`);
          return [];
        })
        .finally(() => { this.ticking = null; });
    };
    run();
    this.timer = setInterval(run, everyMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** One pass: fires what is due at now(); returns the slots this process fired. */
  async tick(): Promise<Fired[]> {
    const now = this.now();
    const due = await this.db.schedule.findMany({
      where: { enabled: true, nextFireAt: { lte: now } },
      orderBy: { nextFireAt: "asc" },
      take: BATCH,
    });
    const fired: Fired[] = [];
    for (const s of due) {
      // one broken schedule (say, a time zone this runtime no longer knows) must not stop the others
      const f = await this.fireDue(s, now).catch((e: unknown) => {
        this.log(`schedule ${s.id} not fired: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      });
      if (f) fired.push(f);
    }
    return fired;
  }

  private async fireDue(s: ScheduleRow, now: Date): Promise<Fired | null> {
    if (!s.nextFireAt) return null;
    const due = dueSlot(s.cron, s.timezone, s.nextFireAt, now);
    if (!due) return null;
    const late = due.missed > 0 || now.getTime() - due.slot.getTime() > this.lateAfterMs;
    let fireId: number | null = null;
    try {
      const row = await this.db.scheduleFire.create({
        data: { scheduleId: s.id, slot: due.slot, firedAt: now, late, missedSlots: due.missed, outcome: "claimed" },
        select: { id: true },
      });
      fireId = row.id;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      this.lostClaims++; // another process fired this slot
    }
    // Whoever got here moves nextFireAt on, from the value it read: idempotent, never backwards.
    // (If the winner died between its claim and this update, the loser's update still advances.)
    await this.db.schedule.updateMany({ where: { id: s.id, nextFireAt: s.nextFireAt }, data: { nextFireAt: due.next } });
    if (fireId === null) return null;

    let outcome: FireOutcome = "started";
    let runId: string | null = null;
    let message: string | null = null;
    try {
      const active = s.overlap === "skip"
        ? await this.db.run.findFirst({ where: { pipelineId: s.pipelineId, state: { in: ACTIVE } }, select: { id: true, state: true } })
        : null;
      if (active) {
        outcome = "skipped";
        message = `Skipped: run ${active.id} of this pipeline was still ${active.state}`;
      } else {
        runId = await this.startRun(this.db, {
          pipelineId: s.pipelineId, trigger: "schedule", startedBy: `schedule ${s.id}`,
          actor: SCHEDULER_ACTOR, auditDetail: { scheduleId: s.id, slot: due.slot.toISOString(), late },
        });
      }
    } catch (e) {
      outcome = "failed";
      message = e instanceof AppError ? e.userMessage : "The run could not be started; see the server log";
      if (!(e instanceof AppError)) this.log(`schedule ${s.id}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
    await this.db.scheduleFire.update({ where: { id: fireId }, data: { outcome, runId, message } });
    if (late) this.log(`schedule ${s.id} fired late for ${due.slot.toISOString()}${due.missed ? ` (${due.missed} older slot${due.missed === 1 ? "" : "s"} not fired)` : ""}`);
    return { scheduleId: s.id, slot: due.slot, late, missed: due.missed, outcome, runId, message };
  }
}
