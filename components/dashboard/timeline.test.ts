// The stage timeline's geometry: bars on the run's axis, running stages up to now, pending ones empty.
import { describe, expect, it } from "vitest";
import type { StageSnapshot } from "@/server/runs/snapshot";
import { stageTimeline } from "./timeline";

const T = Date.parse("2026-01-01T10:00:00Z");
const at = (s: number) => new Date(T + s * 1000).toISOString();
const stage = (key: string, state: StageSnapshot["state"], start: number | null, end: number | null): StageSnapshot => ({
  key, stage: `Op${key}`, nodes: [key], sink: "out", state, rowsOut: 10, bytesOut: null, startedAt: start === null ? null : at(start), endedAt: end === null ? null : at(end),
});

describe("stageTimeline", () => {
  it("places each stage by its start and duration on the run's axis", () => {
    const tl = stageTimeline({ createdAt: at(-1), submittedAt: at(0), startedAt: at(1), endedAt: at(10), stages: [stage("a", "succeeded", 2, 7), stage("b", "succeeded", 5, 10)] }, T + 60_000);
    expect(tl.totalMs).toBe(10_000);
    expect(tl.bars.map((b) => [b.key, b.left, b.width, b.durationMs])).toEqual([["a", 0.2, 0.5, 5000], ["b", 0.5, 0.5, 5000]]);
    expect(tl.ticks).toEqual([0, 2000, 4000, 6000, 8000, 10000]);
  });
  it("draws a running stage up to now and a pending one as empty", () => {
    const tl = stageTimeline({ createdAt: at(0), submittedAt: at(0), startedAt: at(0), endedAt: null, stages: [stage("a", "running", 1, null), stage("b", "pending", null, null)] }, T + 4000);
    expect(tl.totalMs).toBe(4000);
    expect(tl.bars[0]).toMatchObject({ left: 0.25, width: 0.75, durationMs: 3000 });
    expect(tl.bars[1]).toMatchObject({ left: 0, width: 0, durationMs: null, startMs: null });
  });
});
