// A pipeline's failure (and optional success) webhook: read (URL masked), set, remove. Thin:
// server/webhooks/ does the work; the dispatcher in the app process makes the calls.
import { z } from "zod";
import { getWebhook, removeWebhook, setWebhook, WebhookInputSchema, WebhookViewSchema } from "../../webhooks/webhooks";
import { visiblePipeline } from "../../auth/workspace-scope";
import { maskUrl } from "../../webhooks/webhooks";
import { recordAudit } from "../../audit/audit";
import { publicProcedure, router } from "../trpc";

const Pipeline = z.object({ pipelineId: z.string().min(1).max(200) });

export const webhooksRouter = router({
  get: publicProcedure.input(Pipeline).output(WebhookViewSchema).query(async ({ ctx, input }) => {
    await visiblePipeline(ctx.db, ctx.actor, input.pipelineId);
    return getWebhook(ctx.db, input.pipelineId);
  }),
  /** A bad URL fails input validation under the "url" field; nothing is saved. */
  set: publicProcedure.input(WebhookInputSchema).output(WebhookViewSchema).mutation(async ({ ctx, input }) => {
    const p = await visiblePipeline(ctx.db, ctx.actor, input.pipelineId);
    const view = await setWebhook(ctx.db, input);
    // the URL may hold a token: the audit keeps only its masked form
    await recordAudit(ctx.db, ctx.actor, {
      action: "webhook.set", targetType: "webhook", targetId: input.pipelineId, pipelineId: input.pipelineId, workspaceId: p.workspaceId,
      detail: { url: maskUrl(input.url), onSuccess: input.onSuccess },
    });
    return view;
  }),
  remove: publicProcedure.input(Pipeline).output(WebhookViewSchema).mutation(async ({ ctx, input }) => {
    const p = await visiblePipeline(ctx.db, ctx.actor, input.pipelineId);
    const had = await ctx.db.pipelineWebhook.findUnique({ where: { pipelineId: input.pipelineId }, select: { pipelineId: true } });
    const view = await removeWebhook(ctx.db, input.pipelineId);
    if (had) await recordAudit(ctx.db, ctx.actor, { action: "webhook.delete", targetType: "webhook", targetId: input.pipelineId, pipelineId: input.pipelineId, workspaceId: p.workspaceId });
    return view;
  }),
});
