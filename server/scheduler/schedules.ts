// Schedule records for the API: create, edit, enable/disable, delete, list with their next fire
// times and last fire, a live preview while the user types, and "run now". nextFireAt is
// recomputed from now on every change, so an edited or re-enabled schedule never fires a slot
// from before the change.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { LOCAL_ACTOR, type Actor } from "../auth/actor";
import type { Db } from "../db";
import { AppError } from "../errors";
import { createRun } from "../runs/service";
import { nextSlot, nextSlots, scheduleErrors } from "./cron";
import { describeCron } from "./describe";

export const OVERLAP_POLICIES = ["skip", "queue"] as const;
export const FIRE_OUTCOMES = ["claimed", "started", "skipped", "failed"] as const;

/** The editable part of a schedule; cron and time zone are checked per field. */
export const ScheduleFieldsSchema = z
  .object({
    cron: z.string().max(200),
    timezone: z.string().max(100),
    enabled: z.boolean(),
    overlap: z.enum(OVERLAP_POLICIES),
  })
  .superRefine((v, ctx) => {
    const errors = scheduleErrors(v.cron, v.timezone);
    if (errors.cron) ctx.addIssue({ code: "custom", path: ["cron"], message: errors.cron });
    if (errors.timezone) ctx.addIssue({ code: "custom", path: ["timezone"], message: errors.timezone });
  });
export type ScheduleFields = z.infer<typeof ScheduleFieldsSchema>;

export const ScheduleFireSchema = z.object({
  slot: z.string(),
  firedAt: z.string(),
  late: z.boolean(),
  missedSlots: z.number(),
  outcome: z.enum(FIRE_OUTCOMES),
  runId: z.string().nullable(),
  message: z.string().nullable(),
});
export type ScheduleFireView = z.infer<typeof ScheduleFireSchema>;

export const ScheduleSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  overlap: z.enum(OVERLAP_POLICIES),
  description: z.string(),
  nextFireAt: z.string().nullable(),
  /** The next five slots (empty while disabled). */
  nextFires: z.array(z.string()),
  lastFire: ScheduleFireSchema.nullable(),
});
export type ScheduleView = z.infer<typeof ScheduleSchema>;

export const SchedulePreviewSchema = z.object({
  errors: z.object({ cron: z.string().optional(), timezone: z.string().optional() }),
  description: z.string().nullable(),
  next: z.array(z.string()),
});
export type SchedulePreview = z.infer<typeof SchedulePreviewSchema>;

type ScheduleRow = NonNullable<Awaited<ReturnType<Db["schedule"]["findUnique"]>>>;
type FireRow = NonNullable<Awaited<ReturnType<Db["scheduleFire"]["findUnique"]>>>;

export const toFireView = (f: FireRow): ScheduleFireView => ({
  slot: f.slot.toISOString(),
  firedAt: f.firedAt.toISOString(),
  late: f.late,
  missedSlots: f.missedSlots,
  outcome: f.outcome as ScheduleFireView["outcome"],
  runId: f.runId,
  message: f.message,
});

function toView(s: ScheduleRow & { fires: FireRow[] }, now: Date): ScheduleView {
  return {
    id: s.id,
    pipelineId: s.pipelineId,
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled,
    overlap: s.overlap as ScheduleView["overlap"],
    description: describeCron(s.cron),
    nextFireAt: s.nextFireAt?.toISOString() ?? null,
    nextFires: s.enabled ? nextSlots(s.cron, s.timezone, now, 5).map((d) => d.toISOString()) : [],
    lastFire: s.fires[0] ? toFireView(s.fires[0]) : null,
  };
}

/**
 * What the form shows while typing: per-field errors, or a description and the next 5 slots.
 * Example: previewSchedule("0 6 * * *", "UTC", now).next.length === 5
 */
export function previewSchedule(cron: string, timezone: string, now: Date): SchedulePreview {
  const errors = scheduleErrors(cron, timezone);
  if (errors.cron || errors.timezone) return { errors, description: errors.cron ? null : describeCron(cron), next: [] };
  return { errors, description: describeCron(cron), next: nextSlots(cron, timezone, now, 5).map((d) => d.toISOString()) };
}

function checked(fields: ScheduleFields): ScheduleFields {
  const errors = scheduleErrors(fields.cron, fields.timezone);
  if (errors.cron || errors.timezone) throw new AppError("BAD_INPUT", { userMessage: errors.cron ?? errors.timezone ?? "Invalid schedule" });
  return { ...fields, cron: fields.cron.trim().replace(/\s+/g, " "), timezone: fields.timezone.trim() };
}

const nextFireAt = (f: ScheduleFields, now: Date) => (f.enabled ? nextSlot(f.cron, f.timezone, now) : null);
const withLastFire = { fires: { orderBy: { firedAt: "desc" as const }, take: 1 } };

async function load(db: Db, id: string, now: Date): Promise<ScheduleView> {
  const s = await db.schedule.findUnique({ where: { id }, include: withLastFire });
  if (!s) throw new AppError("NOT_FOUND", { userMessage: `Schedule '${id}' does not exist` });
  return toView(s, now);
}

export async function listSchedules(db: Db, pipelineId: string, now = new Date()): Promise<ScheduleView[]> {
  const rows = await db.schedule.findMany({ where: { pipelineId }, orderBy: { createdAt: "asc" }, include: withLastFire });
  return rows.map((s) => toView(s, now));
}

export async function createSchedule(db: Db, pipelineId: string, fields: ScheduleFields, now = new Date()): Promise<ScheduleView> {
  const f = checked(fields);
  if (!(await db.pipeline.findUnique({ where: { id: pipelineId }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${pipelineId}' does not exist` });
  }
  const id = `sch_${randomUUID().slice(0, 12)}`;
  await db.schedule.create({ data: { id, pipelineId, ...f, nextFireAt: nextFireAt(f, now) } });
  return load(db, id, now);
}

export async function updateSchedule(db: Db, id: string, fields: ScheduleFields, now = new Date()): Promise<ScheduleView> {
  const f = checked(fields);
  const res = await db.schedule.updateMany({ where: { id }, data: { ...f, nextFireAt: nextFireAt(f, now) } });
  if (!res.count) throw new AppError("NOT_FOUND", { userMessage: `Schedule '${id}' does not exist` });
  return load(db, id, now);
}

export async function setScheduleEnabled(db: Db, id: string, enabled: boolean, now = new Date()): Promise<ScheduleView> {
  const s = await db.schedule.findUnique({ where: { id } });
  if (!s) throw new AppError("NOT_FOUND", { userMessage: `Schedule '${id}' does not exist` });
  await db.schedule.update({ where: { id }, data: { enabled, nextFireAt: enabled ? nextSlot(s.cron, s.timezone, now) : null } });
  return load(db, id, now);
}

export async function deleteSchedule(db: Db, id: string): Promise<void> {
  const res = await db.schedule.deleteMany({ where: { id } });
  if (!res.count) throw new AppError("NOT_FOUND", { userMessage: `Schedule '${id}' does not exist` });
}

export async function scheduleFires(db: Db, id: string, limit = 20): Promise<ScheduleFireView[]> {
  const rows = await db.scheduleFire.findMany({ where: { scheduleId: id }, orderBy: { firedAt: "desc" }, take: limit });
  return rows.map(toFireView);
}

/** "Run now": a manual run of the schedule's pipeline, whatever the overlap policy. */
export async function runScheduleNow(db: Db, id: string, actor: Actor = LOCAL_ACTOR): Promise<string> {
  const s = await db.schedule.findUnique({ where: { id }, select: { pipelineId: true } });
  if (!s) throw new AppError("NOT_FOUND", { userMessage: `Schedule '${id}' does not exist` });
  return createRun(db, { pipelineId: s.pipelineId, trigger: "manual", actor, auditDetail: { scheduleId: id, runNow: true } });
}
