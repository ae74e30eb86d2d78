// Which failed autosaves retry by themselves, and how soon: errors shaped as the tRPC client
// throws them (TRPCClientError with the app formatter's data, or no data when nothing answered).
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { autoRetryDelay, isTransientSaveError } from "./save-retry";

const clientError = (message: string, data?: object) => {
  const e = new TRPCClientError(message);
  if (data) Object.assign(e, { data });
  return e;
};

describe("autosave retries", () => {
  it("retries a busy database, an unreachable server and a rate limit by itself, backing off to 30 s", () => {
    const busy = clientError("The database is busy; try again", { code: "SERVICE_UNAVAILABLE", httpStatus: 503, appCode: "E_DB_BUSY" });
    expect(isTransientSaveError(busy)).toBe(true);
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => autoRetryDelay(busy, n))).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(isTransientSaveError(clientError("fetch failed"))).toBe(true); // no response at all
    expect(isTransientSaveError(clientError("Too many", { code: "TOO_MANY_REQUESTS", httpStatus: 429, appCode: "E_RATE_LIMITED" }))).toBe(true);
    expect(isTransientSaveError(clientError("Bad gateway", { code: "INTERNAL_SERVER_ERROR", httpStatus: 502, appCode: null }))).toBe(true);
  });

  it("leaves conflicts, bad input, refusals and server bugs to the user", () => {
    for (const data of [
      { code: "CONFLICT", httpStatus: 409, appCode: "CONFLICT" },
      { code: "BAD_REQUEST", httpStatus: 400, appCode: "PIPELINE_INVALID" },
      { code: "FORBIDDEN", httpStatus: 403, appCode: "E_FORBIDDEN" },
      { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, appCode: "REQUEST_TOO_LARGE" },
      { code: "INTERNAL_SERVER_ERROR", httpStatus: 500, appCode: null },
    ]) {
      expect(autoRetryDelay(clientError("no", data), 0)).toBeNull();
    }
    expect(autoRetryDelay("not an error", 0)).toBeNull();
    expect(autoRetryDelay(null, 0)).toBeNull();
  });
});
