// Cron arithmetic of schedules: per-field validation, next slots in a time zone (DST at the
// right wall-clock times), and the single slot fired after downtime.
import { describe, expect, it } from "vitest";
import { cronError, dueSlot, nextSlots, scheduleErrors, timeZoneError } from "./cron";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const wall = (d: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false }).format(d);

describe("validation", () => {
  it("accepts five-field expressions and nicknames", () => {
    for (const c of ["* * * * *", "*/15 9-17 * * 1-5", "0 6 1,15 * *", "0 0 * * SUN", "@daily", "@hourly"]) expect(cronError(c), c).toBeNull();
  });
  it("explains what is wrong with a bad expression", () => {
    expect(cronError("")).toMatch(/Enter a cron expression/);
    expect(cronError("0 6 * *")).toMatch(/five fields.*found 4/);
    expect(cronError("0 0 6 * * *")).toMatch(/five fields.*found 6/);
    expect(cronError("61 * * * *")).toMatch(/Invalid cron expression: Invalid value for minute: 61/);
    expect(cronError("0 0 30 2 *")).toMatch(/never fires/);
  });
  it("knows IANA time zones", () => {
    expect(timeZoneError("Europe/Berlin")).toBeNull();
    expect(timeZoneError("UTC")).toBeNull();
    expect(timeZoneError("Mars/Base")).toMatch(/Unknown time zone 'Mars\/Base'/);
    expect(timeZoneError("")).toMatch(/Choose a time zone/);
  });
  it("reports both fields at once", () => {
    expect(scheduleErrors("nope", "Nowhere/Town")).toEqual({ cron: expect.any(String), timezone: expect.any(String) });
    expect(scheduleErrors("0 6 * * *", "UTC")).toEqual({});
  });
});

describe("next slots", () => {
  it("lists the next five strictly after now", () => {
    expect(iso(nextSlots("0 */6 * * *", "UTC", new Date("2026-05-01T06:00:00Z"), 5))).toEqual([
      "2026-05-01T12:00:00.000Z", "2026-05-01T18:00:00.000Z", "2026-05-02T00:00:00.000Z", "2026-05-02T06:00:00.000Z", "2026-05-02T12:00:00.000Z",
    ]);
  });
  it("keeps 09:00 wall-clock across Berlin's autumn change", () => {
    const slots = nextSlots("0 9 * * *", "Europe/Berlin", new Date("2026-10-24T00:00:00Z"), 3);
    expect(iso(slots)).toEqual(["2026-10-24T07:00:00.000Z", "2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
    expect(slots.map((d) => wall(d, "Europe/Berlin"))).toEqual(["24/10, 09:00", "25/10, 09:00", "26/10, 09:00"]);
  });
  it("runs a slot inside New York's spring-forward gap at the first valid time after it", () => {
    const slots = nextSlots("30 2 * * *", "America/New_York", new Date("2026-03-07T00:00:00Z"), 3);
    expect(slots.map((d) => wall(d, "America/New_York"))).toEqual(["07/03, 02:30", "08/03, 03:00", "09/03, 02:30"]);
  });
  it("fires a repeated fall-back time once", () => {
    const slots = nextSlots("30 1 * * *", "America/New_York", new Date("2026-10-31T12:00:00Z"), 2);
    expect(iso(slots)).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });
});

describe("dueSlot after downtime", () => {
  it("is the latest slot at or before now, counting the older ones it passes over", () => {
    const d = dueSlot("0 * * * *", "UTC", new Date("2026-01-01T10:00:00Z"), new Date("2026-01-01T13:20:00Z"));
    expect(d && { slot: d.slot.toISOString(), missed: d.missed, next: d.next?.toISOString() }).toEqual({
      slot: "2026-01-01T13:00:00.000Z", missed: 3, next: "2026-01-01T14:00:00.000Z",
    });
  });
  it("is the slot itself when on time, and nothing before it", () => {
    expect(dueSlot("0 * * * *", "UTC", new Date("2026-01-01T10:00:00Z"), new Date("2026-01-01T10:00:00Z"))?.missed).toBe(0);
    expect(dueSlot("0 * * * *", "UTC", new Date("2026-01-01T10:00:00Z"), new Date("2026-01-01T09:59:59Z"))).toBeNull();
  });
  it("jumps over a long outage of a frequent schedule", () => {
    const d = dueSlot("* * * * *", "UTC", new Date("2026-01-01T00:00:00Z"), new Date("2026-01-08T00:00:30Z"));
    expect(d?.slot.toISOString()).toBe("2026-01-08T00:00:00.000Z");
    expect(d?.missed).toBe(7 * 24 * 60);
    expect(d?.next?.toISOString()).toBe("2026-01-08T00:01:00.000Z");
  });
});
