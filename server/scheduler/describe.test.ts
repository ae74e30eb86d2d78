// The schedule form's English reading of cron expressions.
import { describe, expect, it } from "vitest";
import { describeCron } from "./describe";

describe("describeCron", () => {
  it.each([
    ["* * * * *", "Every minute"],
    ["*/15 * * * *", "Every 15 minutes"],
    ["5 * * * *", "At minute 5 of every hour"],
    ["0 6 * * *", "At 06:00, every day"],
    ["30 8,17 * * *", "At 08:30 and 17:30, every day"],
    ["0 6 * * 1-5", "At 06:00, Monday to Friday"],
    ["0 6 * * MON,WED", "At 06:00, Monday and Wednesday"],
    ["0 0 1 * *", "At 00:00, on day 1st of the month"],
    ["0 3 * 1 *", "At 03:00, in January"],
    ["0 */2 * * *", "At minute 0 of every 2 hours"],
    ["*/10 9-17 * * 1-5", "Every 10 minutes between 09:00 and 17:59, Monday to Friday"],
    ["@daily", "At 00:00, every day"],
  ])("%s reads as %s", (cron, text) => {
    expect(describeCron(cron)).toBe(text);
  });
});
