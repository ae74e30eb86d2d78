// The run detail's stage timeline (a Gantt: one row per Ray stage, a bar from its start to its
// end on the run's time axis). Pure, so it is unit-tested and independent of React.
import type { RunSnapshot, StageSnapshot } from "@/server/runs/snapshot";

export interface TimelineBar {
  readonly key: string;
  readonly stage: string;
  readonly nodes: readonly string[];
  readonly state: StageSnapshot["state"];
  /** Offset of the bar's start from the axis start, as a share of the axis (0..1). */
  readonly left: number;
  /** Share of the axis the bar covers (0..1); 0 for a stage that has not started. */
  readonly width: number;
  readonly startMs: number | null;
  readonly durationMs: number | null;
  readonly rowsOut: number | null;
}

export interface Timeline {
  readonly totalMs: number;
  readonly bars: readonly TimelineBar[];
  /** Axis labels: offsets in ms from the start, at round steps. */
  readonly ticks: readonly number[];
}

const STEPS = [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];
const t = (iso: string | null) => (iso ? Date.parse(iso) : null);

/**
 * Bars for each stage of `run` on one axis from the run's start to its end (or `now` while it
 * runs). Example: a 10 s run with a stage from 2 s to 7 s -> { left: 0.2, width: 0.5 }.
 */
export function stageTimeline(run: Pick<RunSnapshot, "submittedAt" | "startedAt" | "endedAt" | "createdAt" | "stages">, now: number): Timeline {
  const starts = run.stages.map((s) => t(s.startedAt)).filter((x): x is number => x !== null);
  const origin = Math.min(t(run.submittedAt) ?? t(run.startedAt) ?? t(run.createdAt)!, ...starts);
  const ends = run.stages.map((s) => t(s.endedAt) ?? (s.startedAt ? now : null)).filter((x): x is number => x !== null);
  const end = Math.max(t(run.endedAt) ?? now, ...ends, origin + 1);
  const totalMs = end - origin;
  const bars = run.stages.map((s): TimelineBar => {
    const a = t(s.startedAt);
    const b = t(s.endedAt) ?? (a !== null ? (run.endedAt ? t(run.endedAt)! : now) : null);
    return {
      key: s.key, stage: s.stage, nodes: s.nodes, state: s.state, rowsOut: s.rowsOut,
      left: a === null ? 0 : (a - origin) / totalMs,
      width: a === null || b === null ? 0 : Math.max(0, b - a) / totalMs,
      startMs: a === null ? null : a - origin,
      durationMs: a === null || b === null ? null : Math.max(0, b - a),
    };
  });
  const step = STEPS.find((s) => totalMs / s <= 6) ?? Math.ceil(totalMs / 6 / 3_600_000) * 3_600_000;
  const ticks: number[] = [];
  for (let x = 0; x <= totalMs; x += step) ticks.push(x);
  return { totalMs, bars, ticks };
}
