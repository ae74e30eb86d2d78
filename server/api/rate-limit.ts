// Per-actor rate limits on the expensive calls: previews (a DuckDB/Ray sample per call) and run
// starts (a Ray job each). A sliding window of call times per actor id, held in this app
// process's memory: with several app processes each one counts on its own, so the effective
// limit is N per process. The rules come from the environment (ETL_PREVIEW_RATE_LIMIT,
// ETL_RUN_RATE_LIMIT as "N/SECONDSs"), checked at startup by server/main.ts.
import { z } from "zod";

export interface RateRule {
  /** Calls allowed within one window. */
  readonly limit: number;
  readonly windowMs: number;
}

const RULE_TEXT = /^\s*(\d+)\s*\/\s*(\d+)\s*s\s*$/;

/** "30/10s" -> { limit: 30, windowMs: 10_000 }; throws an Error naming `name` when malformed. */
export function parseRateRule(text: string, name: string): RateRule {
  const m = RULE_TEXT.exec(text);
  const limit = m ? Number(m[1]) : NaN;
  const seconds = m ? Number(m[2]) : NaN;
  if (!m || !(limit >= 1) || !(seconds >= 1) || limit > 1_000_000 || seconds > 86_400) {
    throw new Error(`${name}="${text}" is not a rate limit: write N/SECONDSs with N >= 1 and 1..86400 seconds, e.g. 30/10s`);
  }
  return { limit, windowMs: seconds * 1000 };
}

const RateEnvSchema = z.object({
  ETL_PREVIEW_RATE_LIMIT: z.string().default("30/10s"),
  ETL_RUN_RATE_LIMIT: z.string().default("10/60s"),
});

export interface RateRules {
  /** preview.node, sources.facts, sources.sample */
  readonly preview: RateRule;
  /** runs.start, runs.retry, schedules.runNow */
  readonly run: RateRule;
}

/** The rules of this process, e.g. rateRules({}).preview = { limit: 30, windowMs: 10_000 }. */
export function rateRules(source: Readonly<Record<string, string | undefined>> = process.env): RateRules {
  const e = RateEnvSchema.parse(source);
  return { preview: parseRateRule(e.ETL_PREVIEW_RATE_LIMIT, "ETL_PREVIEW_RATE_LIMIT"), run: parseRateRule(e.ETL_RUN_RATE_LIMIT, "ETL_RUN_RATE_LIMIT") };
}

/** Which procedures count against which rule; the rest are not limited. */
export const RATE_LIMITED_PATHS: Readonly<Record<string, keyof RateRules>> = {
  "preview.node": "preview",
  "sources.facts": "preview",
  "sources.sample": "preview",
  "runs.start": "run",
  "runs.retry": "run",
  "schedules.runNow": "run",
};

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * At most `rule.limit` calls per key within any `rule.windowMs`. The clock is injected so tests
 * need no sleeps. Example: new SlidingWindowLimiter({ limit: 2, windowMs: 1000 }).take("u1").ok
 */
export class SlidingWindowLimiter {
  private readonly calls = new Map<string, number[]>();
  private sweptAt = 0;

  constructor(readonly rule: RateRule, private readonly now: () => number = Date.now) {}

  take(key: string): Take {
    const t = this.now();
    this.sweep(t);
    const since = t - this.rule.windowMs;
    const times = (this.calls.get(key) ?? []).filter((x) => x > since);
    if (times.length >= this.rule.limit) {
      this.calls.set(key, times);
      return { ok: false, retryAfterMs: Math.max(1, times[0] + this.rule.windowMs - t) };
    }
    times.push(t);
    this.calls.set(key, times);
    return { ok: true };
  }

  /** Forgets keys idle for a whole window, at most once per window, so memory follows active actors. */
  private sweep(t: number): void {
    if (t - this.sweptAt < this.rule.windowMs) return;
    this.sweptAt = t;
    for (const [key, times] of this.calls) if (!times.length || times[times.length - 1] <= t - this.rule.windowMs) this.calls.delete(key);
  }
}

/** "Too many previews: 30 per 10 s. Try again in 4 s." */
export function rateLimitMessage(kind: keyof RateRules, rule: RateRule, retryAfterMs: number): string {
  const what = kind === "preview" ? "previews" : "run starts";
  const secs = Math.ceil(retryAfterMs / 1000);
  return `Too many ${what}: at most ${rule.limit} per ${rule.windowMs / 1000} s. Try again in ${secs} s.`;
}

let limiters: { readonly [K in keyof RateRules]: SlidingWindowLimiter } | null = null;

/** The process-wide limiters (created on first use from the environment). */
export function processLimiters(): { readonly [K in keyof RateRules]: SlidingWindowLimiter } {
  if (!limiters) {
    const r = rateRules();
    limiters = { preview: new SlidingWindowLimiter(r.preview), run: new SlidingWindowLimiter(r.run) };
  }
  return limiters;
}

/** Tests: start from empty windows (and re-read the environment). */
export function resetProcessLimiters(): void {
  limiters = null;
}
