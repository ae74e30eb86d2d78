// A pipeline's failure (and optional success) webhook: read (URL masked), set, remove. Thin:
// server/webhooks/ does the work; the dispatcher in the app process makes the calls.
import { z } from "zod";
import { getWebhook, removeWebhook, setWebhook, WebhookInputSchema, WebhookViewSchema } from "../../webhooks/webhooks";
import { publicProcedure, router } from "../trpc";

const Pipeline = z.object({ pipelineId: z.string().min(1).max(200) });

export const webhooksRouter = router({
  get: publicProcedure.input(Pipeline).output(WebhookViewSchema).query(({ ctx, input }) => getWebhook(ctx.db, input.pipelineId)),
  /** A bad URL fails input validation under the "url" field; nothing is saved. */
  set: publicProcedure.input(WebhookInputSchema).output(WebhookViewSchema).mutation(({ ctx, input }) => setWebhook(ctx.db, input)),
  remove: publicProcedure.input(Pipeline).output(WebhookViewSchema).mutation(({ ctx, input }) => removeWebhook(ctx.db, input.pipelineId)),
});
