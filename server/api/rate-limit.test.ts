// Rate limits: the sliding window on an injected clock (no sleeps), the "N/SECONDSs" setting and
// its startup error, and the refusal through the real tRPC middleware (TOO_MANY_REQUESTS,
// E_RATE_LIMITED, a message saying when to retry), per actor.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_ACTOR, type Actor } from "../auth/actor";
import { createDb, type Db } from "../db";
import { AppError } from "../errors";
import { parseRateRule, rateRules, resetProcessLimiters, SlidingWindowLimiter } from "./rate-limit";
import { createCaller } from "./root";

describe("SlidingWindowLimiter", () => {
  it("allows N calls per window per key, then says when the oldest leaves the window", () => {
    let t = 1_000_000;
    const l = new SlidingWindowLimiter({ limit: 3, windowMs: 10_000 }, () => t);
    expect([l.take("a"), l.take("a"), l.take("a")].every((r) => r.ok)).toBe(true);
    t += 4_000;
    expect(l.take("a")).toEqual({ ok: false, retryAfterMs: 6_000 });
    expect(l.take("b").ok).toBe(true); // another actor has its own window
    t += 5_999;
    expect(l.take("a").ok).toBe(false);
    t += 1; // the first three calls are now 10 s old and out; refused calls never counted
    expect([l.take("a"), l.take("a"), l.take("a")].every((r) => r.ok)).toBe(true);
    expect(l.take("a")).toEqual({ ok: false, retryAfterMs: 10_000 });
  });

  it("is a sliding window, not a fixed one: a burst at a window edge is not doubled", () => {
    let t = 0;
    const l = new SlidingWindowLimiter({ limit: 2, windowMs: 1_000 }, () => t);
    t = 900;
    expect(l.take("a").ok && l.take("a").ok).toBe(true);
    t = 1_100; // a fixed window would have reset at 1000
    expect(l.take("a").ok).toBe(false);
    t = 1_900;
    expect(l.take("a").ok).toBe(true);
  });

  it("forgets idle actors", () => {
    let t = 0;
    const l = new SlidingWindowLimiter({ limit: 1, windowMs: 1_000 }, () => t);
    for (let i = 0; i < 100; i++) l.take(`u${i}`);
    t = 5_000;
    l.take("x");
    expect((l as unknown as { calls: Map<string, number[]> }).calls.size).toBe(1);
  });
});

describe("rate limit settings", () => {
  it("parses N/SECONDSs and defaults to 30/10s for previews, 10/60s for run starts", () => {
    expect(parseRateRule("30/10s", "X")).toEqual({ limit: 30, windowMs: 10_000 });
    expect(parseRateRule(" 5 / 1s ", "X")).toEqual({ limit: 5, windowMs: 1_000 });
    expect(rateRules({})).toEqual({ preview: { limit: 30, windowMs: 10_000 }, run: { limit: 10, windowMs: 60_000 } });
  });

  it("refuses malformed settings with an error naming the variable and the format", () => {
    for (const bad of ["30", "30/10", "0/10s", "10/0s", "ten/10s", "30/10m", "-1/10s"]) {
      expect(() => rateRules({ ETL_PREVIEW_RATE_LIMIT: bad })).toThrow(/ETL_PREVIEW_RATE_LIMIT=.*N\/SECONDSs.*e\.g\. 30\/10s/);
    }
    expect(() => rateRules({ ETL_RUN_RATE_LIMIT: "fast" })).toThrow(/ETL_RUN_RATE_LIMIT="fast"/);
  });
});

describe("through the API", () => {
  const root = path.resolve(__dirname, "../..");
  let dir: string;
  let database: Db;
  const viewer = (id: string): Actor => ({ id, email: `${id}@example.com`, name: id, role: "viewer", workspaceIds: null });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-rate-"));
    process.env.ETL_BASE_DIR = dir;
    process.env.ETL_PREVIEW_RATE_LIMIT = "3/60s";
    resetProcessLimiters();
    database = createDb(`file:${path.join(dir, "test.db")}`, root);
  });
  afterAll(async () => {
    delete process.env.ETL_PREVIEW_RATE_LIMIT;
    resetProcessLimiters();
    await database.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the call over the limit with TOO_MANY_REQUESTS and when to retry; other actors and paths go on", async () => {
    const a = createCaller({ db: database, actor: viewer("a") });
    for (let i = 0; i < 3; i++) expect((await a.sources.facts({ path: "data/none" })).ok).toBe(false);
    const e = await a.sources.sample({ path: "data/none" }).then(() => null, (x: unknown) => x as { code: string; message: string; cause: unknown });
    if (!e) throw new Error("the fourth preview call was not refused");
    expect(e.code).toBe("TOO_MANY_REQUESTS");
    expect((e.cause as AppError).code).toBe("E_RATE_LIMITED");
    expect(e.message).toMatch(/^Too many previews: at most 3 per 60 s\. Try again in \d+ s\.$/);
    const b = createCaller({ db: database, actor: viewer("b") });
    expect((await b.sources.facts({ path: "data/none" })).ok).toBe(false);
    expect(Array.isArray(await a.pipelines.list())).toBe(true); // not a limited path
  });

  it("does not throttle the single local user of single-user mode", async () => {
    const local = createCaller({ db: database, actor: LOCAL_ACTOR });
    for (let i = 0; i < 6; i++) expect((await local.sources.facts({ path: "data/none" })).ok).toBe(false);
  });
});
