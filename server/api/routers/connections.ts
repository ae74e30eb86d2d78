// S3 connections: list/create/update/delete, Test (lists buckets or a prefix), and the object
// browser of the read and write forms. Outputs are strict schemas without any secret field, so
// a secret cannot reach the browser even by mistake (zod strips or rejects unknown keys).
import { z } from "zod";
import {
  ConnectionInputSchema, ConnectionPublicSchema, createConnection, deleteConnection, findConnection, listConnections,
  settingsFromInput, settingsOf, updateConnection,
} from "../../connections/store";
import { AppError } from "../../errors";
import { browse, S3Failure, type S3Settings } from "../../storage/s3";
import { publicProcedure, router } from "../trpc";

const BrowseOut = z.object({
  buckets: z.array(z.string()).nullable(),
  prefixes: z.array(z.string()),
  objects: z.array(z.object({ key: z.string(), size: z.number() }).strict()),
  parquetHere: z.boolean(),
}).strict();

const Where = { bucket: z.string().max(255).default(""), prefix: z.string().max(1024).default("") };

async function browseOrThrow(s: S3Settings, bucket: string, prefix: string) {
  try {
    const r = await browse(s, bucket, prefix);
    return { buckets: r.buckets ? [...r.buckets] : null, prefixes: [...r.prefixes], objects: r.objects.map((o) => ({ ...o })), parquetHere: r.parquetHere };
  } catch (e) {
    if (e instanceof S3Failure) throw new AppError(e.code, { userMessage: e.message, cause: e });
    throw e;
  }
}

export const connectionsRouter = router({
  list: publicProcedure.output(z.array(ConnectionPublicSchema)).query(({ ctx }) => listConnections(ctx.db)),

  create: publicProcedure.input(ConnectionInputSchema).output(ConnectionPublicSchema)
    .mutation(({ ctx, input }) => createConnection(ctx.db, input)),

  update: publicProcedure.input(z.object({ id: z.string(), values: ConnectionInputSchema })).output(ConnectionPublicSchema)
    .mutation(({ ctx, input }) => updateConnection(ctx.db, input.id, input.values)),

  delete: publicProcedure.input(z.object({ id: z.string() })).output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteConnection(ctx.db, input.id);
      return { ok: true as const };
    }),

  /**
   * The form's Test button: with `values` (unsaved form; empty secrets fall back to the stored
   * connection `id`), or a saved `id`. Lists the buckets, or the prefix when a bucket is given.
   */
  test: publicProcedure
    .input(z.object({ id: z.string().optional(), values: ConnectionInputSchema.optional(), ...Where }))
    .output(BrowseOut)
    .mutation(async ({ ctx, input }) => {
      const stored = input.id ? await findConnection(ctx.db, input.id) : null;
      if (!input.values && !stored) throw new AppError("BAD_INPUT", { userMessage: "Nothing to test: send the form values or a saved connection" });
      const settings = input.values ? settingsFromInput(input.values, stored) : settingsOf(stored!);
      return browseOrThrow(settings, input.bucket, input.prefix);
    }),

  /** One level of the object browser for a saved connection (by name, as nodes refer to it). */
  browse: publicProcedure
    .input(z.object({ connection: z.string().min(1), ...Where }))
    .output(BrowseOut)
    .query(async ({ ctx, input }) => {
      const r = await ctx.db.connection.findUnique({ where: { name: input.connection } });
      if (!r) throw new AppError("NOT_FOUND", { userMessage: `There is no S3 connection named '${input.connection}'` });
      return browseOrThrow(settingsOf(r), input.bucket, input.prefix);
    }),
});
