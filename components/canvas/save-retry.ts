// When a failed autosave tries again by itself. A save that failed for a passing reason (the
// database busy, the server unreachable or restarting, a rate limit) is retried with a growing
// delay while the edit stays in the editor, unsaved and guarded by the "leave page?" prompt; a
// refusal about the document itself (a conflict, invalid input, no permission) waits for the user.

/** The error data the app's tRPC error formatter sends (server/api/trpc.ts). */
interface ErrorData { readonly httpStatus?: number; readonly appCode?: string | null }

const TRANSIENT_CODES = new Set(["E_DB_BUSY", "RAY_UNAVAILABLE", "E_RATE_LIMITED"]);
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

/** Is a failed save worth retrying unchanged? `error` as thrown by the tRPC client. */
export function isTransientSaveError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const data = (error as { data?: ErrorData | null }).data;
  if (!data) return error instanceof Error; // no answer from the server at all (network, restart)
  return (data.appCode != null && TRANSIENT_CODES.has(data.appCode)) || (data.httpStatus !== undefined && TRANSIENT_STATUS.has(data.httpStatus));
}

/** Milliseconds before automatic retry number `attempt` (0-based): 2 s, 4 s, 8 s ... at most 30 s;
 * null when the error is not transient (the user decides: Retry, Reload or Overwrite). */
export function autoRetryDelay(error: unknown, attempt: number): number | null {
  if (!isTransientSaveError(error)) return null;
  return Math.min(30_000, 2_000 * 2 ** Math.max(0, Math.min(attempt, 10)));
}
