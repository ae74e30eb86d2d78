// Schedules of a pipeline: list, live preview while typing, create, edit, enable/disable,
// delete, recent fires, "run now". Thin: server/scheduler/schedules.ts does the work. Invalid
// cron or time zone fails input validation with the message under its field (fieldErrors
// "cron" / "timezone") and nothing is saved.
import { z } from "zod";
import {
  createSchedule, deleteSchedule, listSchedules, previewSchedule, runScheduleNow, scheduleFires, ScheduleFieldsSchema,
  ScheduleFireSchema, SchedulePreviewSchema, ScheduleSchema, setScheduleEnabled, updateSchedule,
} from "../../scheduler/schedules";
import { publicProcedure, router } from "../trpc";

const Id = z.object({ id: z.string().min(1).max(200) });

export const schedulesRouter = router({
  list: publicProcedure
    .input(z.object({ pipelineId: z.string().min(1).max(200) }))
    .output(z.array(ScheduleSchema))
    .query(({ ctx, input }) => listSchedules(ctx.db, input.pipelineId)),

  /** Never fails on a bad expression: the errors come back as data, per field, while typing. */
  preview: publicProcedure
    .input(z.object({ cron: z.string().max(200), timezone: z.string().max(100) }))
    .output(SchedulePreviewSchema)
    .query(({ input }) => previewSchedule(input.cron, input.timezone, new Date())),

  create: publicProcedure
    .input(ScheduleFieldsSchema.and(z.object({ pipelineId: z.string().min(1).max(200) })))
    .output(ScheduleSchema)
    .mutation(({ ctx, input }) => {
      const { pipelineId, ...fields } = input;
      return createSchedule(ctx.db, pipelineId, fields);
    }),

  update: publicProcedure
    .input(ScheduleFieldsSchema.and(Id))
    .output(ScheduleSchema)
    .mutation(({ ctx, input }) => {
      const { id, ...fields } = input;
      return updateSchedule(ctx.db, id, fields);
    }),

  setEnabled: publicProcedure
    .input(Id.extend({ enabled: z.boolean() }))
    .output(ScheduleSchema)
    .mutation(({ ctx, input }) => setScheduleEnabled(ctx.db, input.id, input.enabled)),

  delete: publicProcedure
    .input(Id)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteSchedule(ctx.db, input.id);
      return { ok: true as const };
    }),

  fires: publicProcedure
    .input(Id.extend({ limit: z.number().int().min(1).max(200).optional() }))
    .output(z.array(ScheduleFireSchema))
    .query(({ ctx, input }) => scheduleFires(ctx.db, input.id, input.limit)),

  /** A manual run of the schedule's pipeline now (the overlap policy does not apply). */
  runNow: publicProcedure
    .input(Id)
    .output(z.object({ runId: z.string() }))
    .mutation(async ({ ctx, input }) => ({ runId: await runScheduleNow(ctx.db, input.id) })),
});
