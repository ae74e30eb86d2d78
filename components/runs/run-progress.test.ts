import { describe, expect, it } from "vitest";
import type { RunSnapshot, StageSnapshot } from "@/server/runs/snapshot";
import { edgeProgress, formatDuration, fusedGroups, nodeProgress, shareOf } from "./run-progress";

const stage = (key: string, nodes: string[], state: StageSnapshot["state"], rowsOut: number | null, start = 1, end: number | null = null): StageSnapshot => ({
  key, stage: `op-${key}`, nodes, sink: "out", state, rowsOut, bytesOut: null,
  startedAt: new Date(start * 1000).toISOString(), endedAt: end === null ? null : new Date(end * 1000).toISOString(),
});

function run(stages: StageSnapshot[], state: RunSnapshot["state"] = "running", extra: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    id: "r", pipelineId: "p", pipelineVersion: 1, toNodeId: null, trigger: "manual", retryOf: null, startedBy: "local", state,
    cancelRequested: false, createdAt: "", submittedAt: null, startedAt: null, endedAt: null, durationMs: null, error: null,
    rowsWritten: null, nodeIds: ["read", "ratio", "keep", "sort", "flag", "out"], logTail: "", rayStatus: null, rayMessage: null,
    stages, now: "", ...extra,
  };
}

describe("nodeProgress", () => {
  it("shows fused nodes as one stage: shared state, rows only on the stage's output node", () => {
    const r = run([
      stage("out:0", ["read"], "succeeded", 12, 1, 2),
      stage("out:1", ["read", "ratio", "keep"], "running", 500, 2),
      stage("out:2", ["sort"], "running", 0, 3),
    ]);
    const p = nodeProgress(r);
    expect(p.get("read")).toMatchObject({ state: "running", rowsOut: null, fusedWith: ["ratio", "keep"], startedAt: 1000, endedAt: null });
    expect(p.get("ratio")).toMatchObject({ state: "running", rowsOut: null });
    expect(p.get("keep")).toMatchObject({ state: "running", rowsOut: 500, fusedWith: ["read", "ratio"] });
    expect(p.get("flag")).toMatchObject({ state: "queued", rowsOut: null });
    expect(fusedGroups(r).map((g) => g.nodes)).toEqual([["read", "ratio", "keep"]]);
  });

  it("after success every node is succeeded, with end times; unseen nodes take the outcome", () => {
    const r = run([stage("out:1", ["read", "keep"], "succeeded", 80, 1, 2), stage("out:2", ["out"], "succeeded", 80, 2, 3)], "succeeded");
    const p = nodeProgress(r);
    expect([...p.values()].map((x) => x.state)).toEqual(Array(6).fill("succeeded"));
    expect(p.get("out")).toMatchObject({ rowsOut: 80, startedAt: 2000, endedAt: 3000 });
  });

  it("marks the failing node failed even when its stage was fused", () => {
    const r = run([stage("out:1", ["read", "keep"], "failed", 10, 1, 2), stage("out:2", ["out"], "cancelled", null, 1, 2)], "failed",
      { error: { code: "JOB_FAILED", nodeId: "keep", message: "boom", udfLine: 4, traceback: [] } });
    const p = nodeProgress(r);
    expect(p.get("keep")?.state).toBe("failed");
    expect(p.get("out")?.state).toBe("cancelled");
    expect(p.get("flag")?.state).toBe("cancelled");
  });

  it("edges carry the rows out of their source, except inside a fused stage", () => {
    const r = run([stage("out:1", ["read", "keep"], "succeeded", 80, 1, 2), stage("out:2", ["sort"], "running", 40, 2)]);
    const p = nodeProgress(r);
    expect(edgeProgress(r, p, "read", "keep")).toEqual({ rows: null, fused: true, active: false });
    expect(edgeProgress(r, p, "keep", "sort")).toEqual({ rows: 80, fused: false, active: true });
    expect(edgeProgress(r, p, "keep", "elsewhere")).toBeNull();
  });
});

describe("formatting", () => {
  it("shares and durations", () => {
    expect(shareOf(27, 100)).toBe(0.27);
    expect(shareOf(27, null)).toBeNull();
    expect(formatDuration(400)).toBe("0.4 s");
    expect(formatDuration(12_400)).toBe("12 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
  });
});
