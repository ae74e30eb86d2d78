// Follows a Ray job to its end: polls status and log, turns new log lines into run events.
import { EventReader, type RunEvent } from "./events";
import { TERMINAL_STATUSES, type RayJobInfo, type RayJobsClient } from "./ray-jobs";

export interface FollowResult {
  readonly info: RayJobInfo;
  readonly events: readonly RunEvent[];
  readonly log: string;
}

/** Polls every `intervalMs` until the job is terminal; calls `onEvents` with each batch of new events. */
export async function followJob(
  client: RayJobsClient,
  submissionId: string,
  opts: { intervalMs?: number; onEvents?: (events: RunEvent[]) => void; signal?: AbortSignal } = {},
): Promise<FollowResult> {
  const reader = new EventReader();
  for (;;) {
    const info = await client.get(submissionId);
    if (!info) throw new Error(`Ray does not know job ${submissionId}`);
    const log = await client.logs(submissionId);
    const fresh = reader.push(log.endsWith("\n") || !TERMINAL_STATUSES.includes(info.status) ? log : `${log}\n`);
    if (fresh.length) opts.onEvents?.(fresh);
    if (TERMINAL_STATUSES.includes(info.status)) return { info, events: reader.events, log };
    if (opts.signal?.aborted) throw new Error("aborted");
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 400));
  }
}
