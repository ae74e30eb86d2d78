// The schedules router through a tRPC caller on a real, freshly migrated SQLite database: bad
// cron or time zone is refused per field and nothing is saved; the preview lists the next five
// fire times; enable/disable; run now queues a real run.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db";
import { createCaller } from "../root";
import { LOCAL_ACTOR } from "../../auth/actor";

const root = path.resolve(__dirname, "../../..");
let dir: string;
let database: Db;
let caller: ReturnType<typeof createCaller>;
let pipelineId: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-schedules-"));
  execFileSync(path.join(root, ".venv", "bin", "python"), [path.join(root, "scripts", "gen_reviews.py"), "--rows", "2000", "--out", path.join(dir, "data", "reviews")]);
  process.env.ETL_BASE_DIR = dir;
  database = createDb(`file:${path.join(dir, "test.db")}`, root);
  caller = createCaller({ db: database, actor: LOCAL_ACTOR });
  const doc = JSON.parse(fs.readFileSync(path.join(root, "examples", "reviews.pipeline.json"), "utf8"));
  pipelineId = (await caller.pipelines.create({ name: "Nightly reviews", document: doc })).id;
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The per-field messages a failed call carries (what the form shows under each field). */
async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string>> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe("BAD_REQUEST");
  const cause = (err as TRPCError).cause;
  expect(cause).toBeInstanceOf(ZodError);
  return Object.fromEntries((cause as ZodError).issues.map((i) => [i.path.join("."), i.message]));
}

describe("schedules router", () => {
  it("previews a description and the next five fire times while typing", async () => {
    const p = await caller.schedules.preview({ cron: "0 6 * * 1-5", timezone: "Europe/Berlin" });
    expect(p.errors).toEqual({});
    expect(p.description).toBe("At 06:00, Monday to Friday");
    expect(p.next).toHaveLength(5);
    for (const t of p.next) {
      expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", weekday: "short" }).format(new Date(t))).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 06:00$/);
    }
    expect(await caller.schedules.preview({ cron: "0 6 * *", timezone: "Moon/Base" })).toMatchObject({
      errors: { cron: expect.stringMatching(/five fields/), timezone: expect.stringMatching(/Unknown time zone 'Moon\/Base'/) }, next: [],
    });
  });

  it("refuses an invalid cron or time zone under its field and saves nothing", async () => {
    const base = { pipelineId, enabled: true, overlap: "skip" as const };
    expect(await fieldErrors(caller.schedules.create({ ...base, cron: "61 * * * *", timezone: "UTC" }))).toEqual({
      cron: "Invalid cron expression: Invalid value for minute: 61",
    });
    expect(await fieldErrors(caller.schedules.create({ ...base, cron: "0 6 * * *", timezone: "Europe/Springfield" }))).toEqual({
      timezone: expect.stringMatching(/^Unknown time zone 'Europe\/Springfield'/),
    });
    expect(await caller.schedules.list({ pipelineId })).toEqual([]);
    expect(await database.schedule.count()).toBe(0);
  });

  it("creates, lists with next fire times, disables, edits and deletes a schedule", async () => {
    const s = await caller.schedules.create({ pipelineId, cron: "*/15 * * * *", timezone: "UTC", enabled: true, overlap: "queue" });
    expect(s).toMatchObject({ pipelineId, cron: "*/15 * * * *", description: "Every 15 minutes", enabled: true, overlap: "queue", lastFire: null });
    expect(s.nextFires).toHaveLength(5);
    expect(s.nextFireAt).toBe(s.nextFires[0]);
    expect(new Date(s.nextFireAt!).getUTCMinutes() % 15).toBe(0);

    const off = await caller.schedules.setEnabled({ id: s.id, enabled: false });
    expect(off).toMatchObject({ enabled: false, nextFireAt: null, nextFires: [] });

    const before = await caller.schedules.list({ pipelineId });
    await expect(caller.schedules.update({ id: s.id, cron: "0 0 31 2 *", timezone: "UTC", enabled: true, overlap: "queue" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await caller.schedules.list({ pipelineId })).toEqual(before); // the bad edit changed nothing

    const edited = await caller.schedules.update({ id: s.id, cron: "30 2 * * *", timezone: "America/New_York", enabled: true, overlap: "skip" });
    expect(edited).toMatchObject({ cron: "30 2 * * *", timezone: "America/New_York", enabled: true, overlap: "skip" });
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit" }).format(new Date(edited.nextFireAt!))).toMatch(/^0[23]:[03]0$/);

    await caller.schedules.delete({ id: s.id });
    expect(await caller.schedules.list({ pipelineId })).toEqual([]);
    await expect(caller.schedules.delete({ id: s.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("runs now: a queued manual run of the pipeline", async () => {
    const s = await caller.schedules.create({ pipelineId, cron: "0 0 1 1 *", timezone: "UTC", enabled: true, overlap: "skip" });
    const { runId } = await caller.schedules.runNow({ id: s.id });
    expect(await caller.runs.get({ runId })).toMatchObject({ pipelineId, trigger: "manual", state: "queued" });
    await expect(caller.schedules.create({ pipelineId: "no-such-pipeline", cron: "0 6 * * *", timezone: "UTC", enabled: true, overlap: "skip" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
