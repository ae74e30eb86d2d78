import { describe, expect, it } from "vitest";
import { formatBytes, relativeTime } from "./time";

describe("relativeTime", () => {
  const at = (iso: string) => Date.parse(iso);
  it("reads like a person would say it", () => {
    expect(relativeTime("2026-01-01T10:00:00Z", at("2026-01-01T10:00:20Z"))).toBe("just now");
    expect(relativeTime("2026-01-01T10:00:00Z", at("2026-01-01T10:01:00Z"))).toBe("1 minute ago");
    expect(relativeTime("2026-01-01T10:00:00Z", at("2026-01-01T13:00:00Z"))).toBe("3 hours ago");
    expect(relativeTime("2026-01-01T10:00:00Z", at("2026-01-03T10:00:00Z"))).toBe("2 days ago");
  });
});

describe("formatBytes", () => {
  it("uses binary units", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(48_000_000)).toBe("45.8 MB");
  });
});
