// Starts the webhook dispatcher in the app process (server/main.ts), unless ETL_WEBHOOKS=0.
import { z } from "zod";
import { db } from "../db";
import { WebhookDispatcher } from "./dispatcher";

const WebhookConfigSchema = z.object({
  /** "0": this process does not call webhooks (another app process on the database does). */
  ETL_WEBHOOKS: z.enum(["0", "1"]).default("1"),
  /** First retry delay of a failed call, doubled per attempt, 5 attempts (ms). */
  ETL_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(5_000),
});

/** The running dispatcher (ticks every 3 s), or null when turned off. */
export function startWebhooks(log?: (m: string) => void): WebhookDispatcher | null {
  const config = WebhookConfigSchema.parse(process.env);
  if (config.ETL_WEBHOOKS === "0") return null;
  const dispatcher = new WebhookDispatcher({ db: db(), retryBaseMs: config.ETL_WEBHOOK_RETRY_BASE_MS, log });
  dispatcher.start(3_000);
  return dispatcher;
}
