// Pure cron arithmetic for schedules: per-field validation, the next slots, and the one slot to
// fire after downtime. croner does the calendar math in the schedule's time zone; since croner
// 11 its DST rules are Vixie cron's: a slot inside a spring-forward gap fires at the first valid
// time after it, and a wall-clock time repeated at fall-back fires once.
import { Cron } from "croner";

/** Per-field problems, shown under the field in the form. */
export interface ScheduleFieldErrors {
  cron?: string;
  timezone?: string;
}

const NICKNAMES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
/** Walking slot by slot after downtime stops here and jumps with previousRuns instead. */
const MAX_WALK = 2_000;

/** null when `tz` is an IANA zone this runtime knows; e.g. timeZoneError("Mars/Base") is a message. */
export function timeZoneError(tz: string): string | null {
  if (!tz.trim()) return "Choose a time zone, e.g. UTC or Europe/Berlin";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return null;
  } catch {
    return `Unknown time zone '${tz}': use an IANA name such as UTC, Europe/Berlin or America/New_York`;
  }
}

function pattern(cron: string, timezone: string): Cron {
  return new Cron(cron.trim(), { timezone, paused: true });
}

/** null when `cron` is a five-field expression (or @daily and friends) that fires at least once. */
export function cronError(cron: string): string | null {
  const text = cron.trim();
  if (!text) return "Enter a cron expression, e.g. 0 6 * * * (every day at 06:00)";
  const fields = text.split(/\s+/);
  if (!(fields.length === 1 && NICKNAMES.has(text.toLowerCase())) && fields.length !== 5) {
    return `Use five fields — minute hour day-of-month month day-of-week — (found ${fields.length}), e.g. */15 * * * *`;
  }
  let c: Cron;
  try {
    c = pattern(text, "UTC");
  } catch (e) {
    return `Invalid cron expression: ${e instanceof Error ? e.message.replace(/^CronPattern: /, "") : String(e)}`;
  }
  if (!c.nextRun(new Date(Date.UTC(2000, 0, 1)))) return "This expression never fires (no such date)";
  return null;
}

/** Both fields checked; an empty object means the schedule is valid. */
export function scheduleErrors(cron: string, timezone: string): ScheduleFieldErrors {
  const errors: ScheduleFieldErrors = {};
  const c = cronError(cron);
  const t = timeZoneError(timezone);
  if (c) errors.cron = c;
  if (t) errors.timezone = t;
  return errors;
}

/**
 * The next `n` slots strictly after `from`.
 * Example: nextSlots("0 9 * * *", "Europe/Berlin", new Date("2026-03-28T12:00Z"), 2)
 *   -> [2026-03-29T07:00Z (09:00 CEST), 2026-03-30T07:00Z]
 */
export function nextSlots(cron: string, timezone: string, from: Date, n: number): Date[] {
  return pattern(cron, timezone).nextRuns(n, from);
}

/** The first slot strictly after `after`, or null if the expression never fires again. */
export function nextSlot(cron: string, timezone: string, after: Date): Date | null {
  return pattern(cron, timezone).nextRun(after);
}

export interface DueSlot {
  /** The slot to fire: the latest one at or before now. */
  readonly slot: Date;
  /** Older slots since `nextFireAt` that were passed over (downtime); they never fire. */
  readonly missed: number;
  /** The slot after now, to store as the schedule's next fire time. */
  readonly next: Date | null;
}

/**
 * The one slot to fire when `nextFireAt` (a slot) is due at `now`: the latest slot <= now, so a
 * schedule that missed ten slots during downtime fires once.
 * Example: dueSlot("0 * * * *", "UTC", 10:00Z, 13:20Z) -> { slot: 13:00Z, missed: 3, next: 14:00Z }
 */
export function dueSlot(cron: string, timezone: string, nextFireAt: Date, now: Date): DueSlot | null {
  if (nextFireAt.getTime() > now.getTime()) return null;
  const c = pattern(cron, timezone);
  let slot = nextFireAt;
  let missed = 0;
  for (;;) {
    const n = c.nextRun(slot);
    if (!n || n.getTime() > now.getTime()) break;
    if (++missed > MAX_WALK) {
      // a long outage of a frequent schedule: jump to the latest slot instead of walking there
      const latest = c.previousRuns(1, new Date(now.getTime() + 1))[0] ?? n;
      const count = Math.round((latest.getTime() - nextFireAt.getTime()) / Math.max(1, n.getTime() - slot.getTime()));
      return { slot: latest, missed: Math.max(missed, count), next: c.nextRun(now) };
    }
    slot = n;
  }
  return { slot, missed, next: c.nextRun(now) };
}
