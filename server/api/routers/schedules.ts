// Schedules of a pipeline: list, live preview while typing, create, edit, enable/disable,
// delete, recent fires, "run now". Thin: server/scheduler/schedules.ts does the work. Invalid
// cron or time zone fails input validation with the message under its field (fieldErrors
// "cron" / "timezone") and nothing is saved.
import { z } from "zod";
import {
  createSchedule, deleteSchedule, listSchedules, previewSchedule, runScheduleNow, scheduleFires, ScheduleFieldsSchema,
  ScheduleFireSchema, SchedulePreviewSchema, ScheduleSchema, setScheduleEnabled, updateSchedule,
} from "../../scheduler/schedules";
import { visiblePipeline, visibleSchedule } from "../../auth/workspace-scope";
import { recordAudit } from "../../audit/audit";
import { publicProcedure, router } from "../trpc";

const Id = z.object({ id: z.string().min(1).max(200) });

export const schedulesRouter = router({
  list: publicProcedure
    .input(z.object({ pipelineId: z.string().min(1).max(200) }))
    .output(z.array(ScheduleSchema))
    .query(async ({ ctx, input }) => {
      await visiblePipeline(ctx.db, ctx.actor, input.pipelineId);
      return listSchedules(ctx.db, input.pipelineId);
    }),

  /** Never fails on a bad expression: the errors come back as data, per field, while typing. */
  preview: publicProcedure
    .input(z.object({ cron: z.string().max(200), timezone: z.string().max(100) }))
    .output(SchedulePreviewSchema)
    .query(({ input }) => previewSchedule(input.cron, input.timezone, new Date())),

  create: publicProcedure
    .input(ScheduleFieldsSchema.and(z.object({ pipelineId: z.string().min(1).max(200) })))
    .output(ScheduleSchema)
    .mutation(async ({ ctx, input }) => {
      const { pipelineId, ...fields } = input;
      const p = await visiblePipeline(ctx.db, ctx.actor, pipelineId);
      const s = await createSchedule(ctx.db, pipelineId, fields);
      await recordAudit(ctx.db, ctx.actor, {
        action: "schedule.create", targetType: "schedule", targetId: s.id, pipelineId, workspaceId: p.workspaceId,
        detail: { cron: s.cron, timezone: s.timezone, enabled: s.enabled, overlap: s.overlap },
      });
      return s;
    }),

  update: publicProcedure
    .input(ScheduleFieldsSchema.and(Id))
    .output(ScheduleSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, ...fields } = input;
      const v = await visibleSchedule(ctx.db, ctx.actor, id);
      const s = await updateSchedule(ctx.db, id, fields);
      await recordAudit(ctx.db, ctx.actor, {
        action: "schedule.update", targetType: "schedule", targetId: id, pipelineId: v.pipelineId, workspaceId: v.workspaceId,
        detail: { cron: s.cron, timezone: s.timezone, enabled: s.enabled, overlap: s.overlap },
      });
      return s;
    }),

  setEnabled: publicProcedure
    .input(Id.extend({ enabled: z.boolean() }))
    .output(ScheduleSchema)
    .mutation(async ({ ctx, input }) => {
      const v = await visibleSchedule(ctx.db, ctx.actor, input.id);
      const s = await setScheduleEnabled(ctx.db, input.id, input.enabled);
      await recordAudit(ctx.db, ctx.actor, {
        action: input.enabled ? "schedule.enable" : "schedule.disable", targetType: "schedule", targetId: input.id, pipelineId: v.pipelineId, workspaceId: v.workspaceId,
        detail: { nextFireAt: s.nextFireAt },
      });
      return s;
    }),

  delete: publicProcedure
    .input(Id)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const v = await visibleSchedule(ctx.db, ctx.actor, input.id);
      await deleteSchedule(ctx.db, input.id);
      await recordAudit(ctx.db, ctx.actor, { action: "schedule.delete", targetType: "schedule", targetId: input.id, pipelineId: v.pipelineId, workspaceId: v.workspaceId });
      return { ok: true as const };
    }),

  fires: publicProcedure
    .input(Id.extend({ limit: z.number().int().min(1).max(200).optional() }))
    .output(z.array(ScheduleFireSchema))
    .query(async ({ ctx, input }) => {
      await visibleSchedule(ctx.db, ctx.actor, input.id);
      return scheduleFires(ctx.db, input.id, input.limit);
    }),

  /** A manual run of the schedule's pipeline now (the overlap policy does not apply). */
  runNow: publicProcedure
    .input(Id)
    .output(z.object({ runId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      await visibleSchedule(ctx.db, ctx.actor, input.id);
      return { runId: await runScheduleNow(ctx.db, input.id, ctx.actor) };
    }),
});
