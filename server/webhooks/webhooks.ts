// A pipeline's webhook: the URL to POST a JSON payload to when one of its runs fails (and, if
// asked, succeeds). Webhook URLs often carry a token (Slack, Teams...), so the browser only ever
// sees a masked form and the log never sees it at all.
import { z } from "zod";
import type { Db } from "../db";
import { AppError } from "../errors";

export const WebhookInputSchema = z.object({
  pipelineId: z.string().min(1).max(200),
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => {
      try {
        return ["http:", "https:"].includes(new URL(u).protocol);
      } catch {
        return false;
      }
    }, "Enter a full http:// or https:// URL"),
  onSuccess: z.boolean(),
});
export type WebhookInput = z.infer<typeof WebhookInputSchema>;

export const WebhookViewSchema = z.object({
  configured: z.boolean(),
  /** e.g. "https://hooks.example.com/…" — never the path or query, which may hold a token. */
  urlMasked: z.string().nullable(),
  onSuccess: z.boolean(),
  recent: z.array(z.object({
    runId: z.string(), event: z.string(), state: z.enum(["pending", "sending", "delivered", "failed"]), attempts: z.number(),
    lastError: z.string().nullable(), updatedAt: z.string(),
  })),
});
export type WebhookView = z.infer<typeof WebhookViewSchema>;

/** "https://hooks.slack.com/services/T0/B0/xyz" -> "https://hooks.slack.com/…" */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "…";
  }
}

export async function getWebhook(db: Db, pipelineId: string): Promise<WebhookView> {
  const w = await db.pipelineWebhook.findUnique({ where: { pipelineId } });
  const runIds = (await db.run.findMany({ where: { pipelineId }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true } })).map((r) => r.id);
  const deliveries = runIds.length
    ? await db.webhookDelivery.findMany({ where: { runId: { in: runIds } }, orderBy: { createdAt: "desc" }, take: 10 })
    : [];
  return {
    configured: Boolean(w),
    urlMasked: w ? maskUrl(w.url) : null,
    onSuccess: w?.onSuccess ?? false,
    recent: deliveries.map((d) => ({
      runId: d.runId, event: (JSON.parse(d.payload) as { event: string }).event, state: d.state as WebhookView["recent"][number]["state"],
      attempts: d.attempts, lastError: d.lastError, updatedAt: d.updatedAt.toISOString(),
    })),
  };
}

export async function setWebhook(db: Db, input: WebhookInput): Promise<WebhookView> {
  if (!(await db.pipeline.findUnique({ where: { id: input.pipelineId }, select: { id: true } }))) {
    throw new AppError("NOT_FOUND", { userMessage: `Pipeline '${input.pipelineId}' does not exist` });
  }
  await db.pipelineWebhook.upsert({
    where: { pipelineId: input.pipelineId },
    create: { pipelineId: input.pipelineId, url: input.url, onSuccess: input.onSuccess },
    update: { url: input.url, onSuccess: input.onSuccess },
  });
  return getWebhook(db, input.pipelineId);
}

export async function removeWebhook(db: Db, pipelineId: string): Promise<WebhookView> {
  await db.pipelineWebhook.deleteMany({ where: { pipelineId } });
  return getWebhook(db, pipelineId);
}
