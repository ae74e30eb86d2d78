// The access table against the real router: every procedure has a declared role and the table
// names no procedure that is gone; for every procedure, an anonymous caller is UNAUTHORIZED,
// every role below the declared one is FORBIDDEN (with the role named), both before anything is
// written; the declared role gets past the gate (other errors, like NOT_FOUND, are fine: this
// suite is about the gate). Data-driven from appRouter._def.procedures, so a new procedure
// without a role fails here. Real, freshly migrated SQLite database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Actor, type Role } from "../auth/actor";
import { createDb, type Db } from "../db";
import { AppError } from "../errors";
import { PROCEDURE_ROLES, requiredRole } from "./access";
import { resetProcessLimiters } from "./rate-limit";
import { appRouter, createCaller } from "./root";
import { createCallerFactory, publicProcedure, router } from "./trpc";

const root = path.resolve(__dirname, "../..");
let dir: string;
let database: Db;

const P = "gate-pipeline";
const R = "gate-run";
const S = "sch_gate";
const doc = { schemaVersion: 1, id: P, name: "Gate", nodes: [], edges: [] };

/** Input per procedure: valid where easy; BAD_REQUEST / NOT_FOUND behind the gate are fine. */
const INPUTS: Record<string, unknown> = {
  "pipelines.get": { id: P },
  "pipelines.versions": { id: P },
  "pipelines.check": { document: doc },
  "pipelines.compile": { document: doc },
  "pipelines.create": { name: "Created at the gate" },
  "pipelines.save": { id: P, expectedVersion: 999, document: doc },
  "pipelines.rename": { id: P, name: "Gate renamed", expectedVersion: 999 },
  "pipelines.duplicate": { id: P },
  "pipelines.delete": { id: "no-such-pipeline" },
  "pipelines.restore": { id: P, version: 1, expectedVersion: 999 },
  "preview.node": {},
  "sources.inspect": { path: "data/no-such-source" },
  "sources.facts": { path: "data/no-such-source" },
  "sources.sample": { path: "data/no-such-source" },
  "python.check": { sources: { n1: "def f(batch):\n    return batch\n" } },
  "runs.start": { pipelineId: P },
  "runs.cancel": { runId: R },
  "runs.retry": { runId: R },
  "runs.get": { runId: R },
  "runs.watch": { runId: R },
  "dashboard.runs": {},
  "dashboard.runSource": { runId: R },
  "dashboard.pipelineStats": { pipelineId: P },
  "schedules.list": { pipelineId: P },
  "schedules.preview": { cron: "0 * * * *", timezone: "UTC" },
  "schedules.create": { pipelineId: P, cron: "0 * * * *", timezone: "UTC", enabled: false, overlap: "skip" },
  "schedules.update": { id: S, cron: "0 6 * * *", timezone: "UTC", enabled: false, overlap: "skip" },
  "schedules.setEnabled": { id: S, enabled: false },
  "schedules.delete": { id: "sch_missing" },
  "schedules.fires": { id: S },
  "schedules.runNow": { id: S },
  "webhooks.get": { pipelineId: P },
  "webhooks.set": { pipelineId: P, url: "https://hooks.example.com/T0/secret", onSuccess: false },
  "webhooks.remove": { pipelineId: P },
  "connections.create": { name: "gate", auth: "default-chain" },
  "connections.update": { id: "no-such-connection", values: { name: "gate2", auth: "default-chain" } },
  "connections.delete": { id: "no-such-connection" },
  "connections.test": {},
  "connections.browse": { connection: "no-such-connection" },
  "audit.list": {},
};

const actor = (role: Role): Actor => ({ id: `user-${role}`, email: `${role}@example.com`, name: role, role, workspaceIds: ["default"] });

/** Calls `path` as `who`; for a subscription, opens it and reads the first event. */
async function call(who: Actor | null, p: string): Promise<unknown> {
  const caller = createCaller({ db: database, actor: who });
  let fn: unknown = caller;
  for (const k of p.split(".")) fn = (fn as Record<string, unknown>)[k];
  const out = await (fn as (input: unknown) => Promise<unknown>)(INPUTS[p]);
  if (out && typeof out === "object" && Symbol.asyncIterator in out) {
    const it = (out as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const first = await it.next();
    await it.return?.();
    return first.value;
  }
  return out;
}

async function failure(who: Actor | null, p: string): Promise<TRPCError | null> {
  try {
    await call(who, p);
    return null;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
}

/** Row counts of everything a procedure could write: a refused call must change none. */
async function counts(): Promise<number[]> {
  return Promise.all([
    database.pipeline.count(), database.pipelineVersion.count(), database.run.count(), database.schedule.count(),
    database.pipelineWebhook.count(), database.connection.count(), database.auditEvent.count(), database.user.count(),
    database.workspace.count(), database.membership.count(), database.invitation.count(), database.appSetting.count(),
  ]);
}

const PATHS = Object.keys(appRouter._def.procedures).sort();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "etl-access-"));
  process.env.ETL_BASE_DIR = dir;
  process.env.RAY_ADDRESS = "http://127.0.0.1:9"; // health.check: no Ray here, answer at once
  process.env.ETL_PREVIEW_RATE_LIMIT = "1000/10s";
  process.env.ETL_RUN_RATE_LIMIT = "1000/60s";
  resetProcessLimiters();
  database = createDb(`file:${path.join(dir, "test.db")}`, root);
  const text = JSON.stringify(doc);
  await database.pipeline.create({ data: { id: P, name: "Gate", document: text, version: 1, versions: { create: { version: 1, document: text } } } });
  await database.run.create({ data: { id: R, pipelineId: P, pipelineVersion: 1, document: text, script: "print('gate')\n", trigger: "manual", state: "succeeded" } });
  await database.schedule.create({ data: { id: S, pipelineId: P, cron: "0 * * * *", timezone: "UTC", enabled: false, overlap: "skip" } });
});
afterAll(async () => {
  await database.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.ETL_PREVIEW_RATE_LIMIT;
  delete process.env.ETL_RUN_RATE_LIMIT;
  resetProcessLimiters();
});

describe("access table", () => {
  it("declares a role for every procedure, and only for procedures that exist", () => {
    expect(PATHS.length).toBeGreaterThan(40);
    expect(PATHS.filter((p) => requiredRole(p) === null)).toEqual([]);
    expect(Object.keys(PROCEDURE_ROLES).filter((p) => !PATHS.includes(p)).sort()).toEqual([]);
  });

  it("refuses a procedure missing from the table, even to an admin (deny by default)", async () => {
    const undeclared = router({ secret: publicProcedure.query(() => "leaked") });
    const c = createCallerFactory(undeclared)({ db: database, actor: actor("admin") });
    await expect(c.secret()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("keeps connection details to admins and offers names to everyone signed in", () => {
    expect(PROCEDURE_ROLES["connections.list"]).toBe("admin");
    expect(PROCEDURE_ROLES["connections.names"]).toBe("viewer");
    expect(PROCEDURE_ROLES["runs.start"]).toBe("runner");
    expect(PROCEDURE_ROLES["pipelines.save"]).toBe("editor");
  });
});

describe.each(PATHS)("%s", (p) => {
  const need = requiredRole(p) ?? "admin";
  const below = ROLES.slice(0, ROLES.indexOf(need));

  it(`refuses anonymous callers${below.length ? ` and ${below.join(", ")}` : ""} before writing anything`, async () => {
    const before = await counts();
    const anon = await failure(null, p);
    expect(anon?.code).toBe("UNAUTHORIZED");
    expect(anon?.cause).toBeInstanceOf(AppError);
    expect((anon?.cause as AppError).code).toBe("E_UNAUTHENTICATED");
    for (const role of below) {
      const e = await failure(actor(role), p);
      expect(e?.code, role).toBe("FORBIDDEN");
      expect((e?.cause as AppError).code).toBe("E_FORBIDDEN");
      expect(e?.message).toContain(`needs the ${need} role`);
    }
    expect(await counts()).toEqual(before);
  });

  it(`lets ${need} through the gate`, async () => {
    const e = await failure(actor(need), p);
    if (e) {
      expect(["UNAUTHORIZED", "FORBIDDEN", "TOO_MANY_REQUESTS"], `${p}: ${e.code} ${e.message}`).not.toContain(e.code);
      // the only errors behind the gate here are about the input or the objects it names
      expect(["BAD_REQUEST", "NOT_FOUND", "CONFLICT", "SERVICE_UNAVAILABLE"], `${p}: ${e.code} ${e.message}`).toContain(e.code);
    }
  });
});

describe("input schemas", () => {
  it("every sample input names a real procedure", () => {
    expect(Object.keys(INPUTS).filter((p) => !PATHS.includes(p))).toEqual([]);
  });
});
