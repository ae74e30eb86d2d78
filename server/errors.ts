// Failed requests as data: an AppError carries a stable code, what the user reads, and what the
// log reads. One formatter (server/api/trpc.ts) maps codes to tRPC errors; no stack traces
// or internal paths reach the browser.
import type { Diagnostic } from "./pipeline/diagnostics";

export const APP_ERROR_CODES = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  BAD_INPUT: "BAD_REQUEST",
  PIPELINE_INVALID: "BAD_REQUEST",
  RAY_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  // S3 connections (server/connections/): what the Test button and the object browser report
  S3_BAD_CREDENTIALS: "BAD_REQUEST",
  S3_NO_SUCH_BUCKET: "NOT_FOUND",
  S3_ACCESS_DENIED: "FORBIDDEN",
  S3_UNREACHABLE: "SERVICE_UNAVAILABLE",
  S3_ERROR: "BAD_REQUEST",
  INTERNAL: "INTERNAL_SERVER_ERROR",
  // The database stayed locked by another connection past the busy timeout (server/db/busy.ts)
  E_DB_BUSY: "SERVICE_UNAVAILABLE",
  // Requests refused before any procedure runs (server/api/request-guard.ts)
  REQUEST_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  NOT_JSON: "UNSUPPORTED_MEDIA_TYPE",
  CROSS_SITE: "FORBIDDEN",
  UNKNOWN_HOST: "FORBIDDEN",
  // Sign-in and the admin page (server/auth/, server/api/routers/admin.ts)
  E_LAST_ADMIN: "CONFLICT",
  E_INVITE_INVALID: "BAD_REQUEST",
  E_INVITE_REQUIRED: "FORBIDDEN",
  E_EMAIL_TAKEN: "CONFLICT",
  E_WORKSPACE_TAKEN: "CONFLICT",
  E_SIGN_IN_ON: "CONFLICT",
  E_SIGN_UP_FAILED: "BAD_REQUEST",
  // Who may call what (server/api/access.ts) and how often (server/api/rate-limit.ts)
  E_UNAUTHENTICATED: "UNAUTHORIZED",
  E_FORBIDDEN: "FORBIDDEN",
  E_RATE_LIMITED: "TOO_MANY_REQUESTS",
} as const;
export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  readonly userMessage: string;
  readonly diagnostics?: readonly Diagnostic[];
  constructor(readonly code: AppErrorCode, opts: { message?: string; userMessage: string; diagnostics?: readonly Diagnostic[]; cause?: unknown }) {
    super(opts.message ?? opts.userMessage, { cause: opts.cause });
    this.name = "AppError";
    this.userMessage = opts.userMessage;
    this.diagnostics = opts.diagnostics;
  }
}
