import { describe, expect, it } from "vitest";
import { closeStages, foldLog, logTail, type StageRecord } from "./fold";

const ev = (o: Record<string, unknown>) => `ETL_EVENT ${JSON.stringify(o)}\n`;
const stage = (index: number, state: string, rows: number | null, ts: number, nodes = ["read", "keep"]) =>
  ev({ type: "stage", ts, stage: index === 0 ? "ReadParquet->MapBatches(udf_filter__keep)" : "Write", stageIndex: index, nodes, sink: "out", state, rowsOut: rows });

const LOG = [
  "2026-11-25 ray starting\n",
  ev({ type: "run-started", ts: 100, runId: "r1", pipelineId: "p", sinks: ["out"], nodes: [] }),
  stage(0, "running", 10, 101),
  "some user print\n",
  stage(0, "running", 50, 102),
  stage(1, "running", null, 102.5, ["out"]),
  stage(0, "succeeded", 80, 103),
  stage(1, "succeeded", 80, 104, ["out"]),
  ev({ type: "sink-committed", ts: 104.1, nodeId: "out", path: "out/x", rows: 80 }),
  ev({ type: "run-succeeded", ts: 104.2, rowsWritten: { out: 80 }, seconds: 4.2 }),
].join("");

function applyAll(log: string, cuts: number[]): { stages: Map<string, StageRecord>; offset: number } {
  const stages = new Map<string, StageRecord>();
  let offset = 0;
  for (const cut of [...cuts, log.length]) {
    const r = foldLog(log.slice(0, cut), offset, stages);
    for (const [k, s] of r.stages) stages.set(k, s);
    offset = r.offset;
  }
  return { stages, offset };
}

describe("foldLog", () => {
  it("turns stage events into one record per stage with the latest rows and first start", () => {
    const r = foldLog(LOG, 0, new Map());
    expect(r.offset).toBe(LOG.length);
    expect(r.startedAt).toEqual(new Date(100_000));
    expect(r.succeeded).toEqual({ rowsWritten: { out: 80 } });
    expect([...r.stages.values()]).toEqual([
      { key: "out:0", stage: "ReadParquet->MapBatches(udf_filter__keep)", nodes: ["read", "keep"], sink: "out", state: "succeeded", rowsOut: 80, bytesOut: null, startedAt: new Date(101_000), endedAt: new Date(103_000) },
      { key: "out:1", stage: "Write", nodes: ["out"], sink: "out", state: "succeeded", rowsOut: 80, bytesOut: null, startedAt: new Date(102_500), endedAt: new Date(104_000) },
    ]);
  });

  it("gives the same records however the log arrives, partial lines included", () => {
    const once = applyAll(LOG, []);
    for (const cuts of [[5, 90, 200], [LOG.indexOf("some user"), LOG.indexOf("some user") + 3], Array.from({ length: 40 }, (_, i) => i * 17)]) {
      const pieces = applyAll(LOG, cuts);
      expect(pieces.offset).toBe(once.offset);
      expect([...pieces.stages.values()]).toEqual([...once.stages.values()]);
    }
  });

  it("reading again from the stored offset finds nothing new (no double counting)", () => {
    const first = foldLog(LOG, 0, new Map());
    const again = foldLog(LOG, first.offset, new Map(first.stages));
    expect(again.events).toEqual([]);
    expect(again.stages.size).toBe(0);
  });

  it("keeps an ended stage ended when a throttled running line comes late", () => {
    const log = stage(0, "succeeded", 80, 103) + stage(0, "running", 70, 102.9);
    const s = foldLog(log, 0, new Map()).stages.get("out:0")!;
    expect(s.state).toBe("succeeded");
    expect(s.rowsOut).toBe(80);
  });

  it("reads run-failed with the node, the user's line and whether it was a cancel", () => {
    const log = ev({ type: "run-failed", ts: 5, nodeId: "keep", message: "ValueError: no books", udfLine: 4, traceback: ["a", "b"], cancelled: false });
    expect(foldLog(log, 0, new Map()).failed).toEqual({ nodeId: "keep", message: "ValueError: no books", udfLine: 4, traceback: ["a", "b"], cancelled: false });
    const cancel = ev({ type: "run-failed", ts: 5, nodeId: null, message: "cancelled (SIGTERM)", udfLine: null, traceback: [], cancelled: true });
    expect(foldLog(cancel, 0, new Map()).failed?.cancelled).toBe(true);
  });

  it("ignores lines that only look like events", () => {
    const log = "print: ETL_EVENT {not json\nETL_EVENT {\"type\":\"unknown\",\"ts\":1}\n";
    expect(foldLog(log, 0, new Map()).events).toEqual([]);
  });
});

describe("closeStages", () => {
  it("ends open stages with the run's outcome and leaves ended ones alone", () => {
    const r = foldLog(stage(0, "running", 10, 1) + stage(1, "failed", null, 2, ["out"]), 0, new Map());
    const closed = closeStages(r.stages.values(), "failed", new Date(3000));
    expect(closed.map((s) => [s.key, s.state, s.endedAt])).toEqual([["out:0", "cancelled", new Date(3000)]]);
  });
});

describe("logTail", () => {
  it("drops event lines and keeps the last lines", () => {
    const log = Array.from({ length: 300 }, (_, i) => `line ${i}`).join("\n") + "\n" + LOG;
    const tail = logTail(log, 3);
    expect(tail).toBe("line 299\n2026-11-25 ray starting\nsome user print");
  });
});
