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
  INTERNAL: "INTERNAL_SERVER_ERROR",
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
