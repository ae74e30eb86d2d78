// S3 connections: list/create/update/delete, Test (lists buckets or a prefix), and the object
// browser of the read and write forms. Outputs are strict schemas without any secret field, so
// a secret cannot reach the browser even by mistake (zod strips or rejects unknown keys).
import { z } from "zod";
import {
  ConnectionInputSchema, ConnectionPublicSchema, createConnection, type ConnectionInput, type ConnectionPublic, deleteConnection, findConnection, listConnections,
  settingsFromInput, settingsOf, updateConnection,
} from "../../connections/store";
import { AppError } from "../../errors";
import { browse, S3Failure, type S3Settings } from "../../storage/s3";
import { recordAudit } from "../../audit/audit";
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

/** What the audit keeps of a connection: never a key id, secret or token, only whether they were sent. */
function auditFields(c: ConnectionPublic, values?: ConnectionInput): Record<string, unknown> {
  return {
    name: c.name, region: c.region, endpoint: c.endpoint, pathStyle: c.pathStyle, auth: c.auth,
    ...(values ? { secretsChanged: Boolean(values.accessKeyId || values.secretAccessKey || values.sessionToken) } : {}),
  };
}

export const connectionsRouter = router({
  /** Admins: every field except secrets (the Connections page). */
  list: publicProcedure.output(z.array(ConnectionPublicSchema)).query(({ ctx }) => listConnections(ctx.db)),

  /** Anyone who sees pipelines: the names the read and write node forms offer (and analysis checks). */
  names: publicProcedure.output(z.array(z.object({ name: z.string() }).strict()))
    .query(async ({ ctx }) => (await listConnections(ctx.db)).map((c) => ({ name: c.name }))),

  create: publicProcedure.input(ConnectionInputSchema).output(ConnectionPublicSchema)
    .mutation(async ({ ctx, input }) => {
      const c = await createConnection(ctx.db, input);
      await recordAudit(ctx.db, ctx.actor, { action: "connection.create", targetType: "connection", targetId: c.id, detail: auditFields(c, input) });
      return c;
    }),

  update: publicProcedure.input(z.object({ id: z.string(), values: ConnectionInputSchema })).output(ConnectionPublicSchema)
    .mutation(async ({ ctx, input }) => {
      const c = await updateConnection(ctx.db, input.id, input.values);
      await recordAudit(ctx.db, ctx.actor, { action: "connection.update", targetType: "connection", targetId: c.id, detail: auditFields(c, input.values) });
      return c;
    }),

  delete: publicProcedure.input(z.object({ id: z.string() })).output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const before = await findConnection(ctx.db, input.id);
      await deleteConnection(ctx.db, input.id);
      await recordAudit(ctx.db, ctx.actor, { action: "connection.delete", targetType: "connection", targetId: input.id, detail: { name: before.name } });
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
