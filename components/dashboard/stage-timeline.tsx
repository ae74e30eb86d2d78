"use client";
// The stage Gantt of a run: one row per Ray stage (its operator name and graph nodes), a bar
// from its start to its end on the run's axis, its duration and rows. Geometry in timeline.ts.
import type { RunSnapshot } from "@/server/runs/snapshot";
import { formatDuration, formatRows } from "@/components/runs/run-progress";
import { stageTimeline } from "./timeline";

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function StageTimeline({ run }: { run: RunSnapshot }) {
  if (run.stages.length === 0) {
    return <p className="muted">{run.state === "queued" ? "Waiting for a free slot…" : "No stage has reported yet."}</p>;
  }
  const tl = stageTimeline(run, Date.parse(run.now));
  return (
    <div className="gantt" role="table" aria-label="Stages over time">
      <div role="row" aria-label="Time axis" style={{ display: "contents" }}>
        <span className="gantt-head" role="columnheader">Stage</span>
        <div className="gantt-axis" role="columnheader" aria-label={`Time axis, ${formatDuration(tl.totalMs)}`}>
          {tl.ticks.map((t) => <span key={t} className="gantt-tick" style={{ left: pct(t / tl.totalMs) }}>{formatDuration(t)}</span>)}
        </div>
        <span className="gantt-head gantt-dur" role="columnheader">Duration</span>
      </div>
      {tl.bars.map((b) => (
        <div key={b.key} role="row" aria-label={`Stage ${b.stage}`} data-state={b.state} style={{ display: "contents" }}>
          <span className="gantt-label" role="cell" title={`${b.stage} — nodes ${b.nodes.join(", ")}`}>{b.stage}<span className="muted"> · {b.nodes.join(", ")}</span></span>
          <div className="gantt-track" role="cell">
            {tl.ticks.slice(1).map((t) => <span key={t} className="gantt-grid" style={{ left: pct(t / tl.totalMs) }} />)}
            <div className={`gantt-bar state-${b.state}`} style={{ left: pct(b.left), width: pct(b.width) }}
              title={`${b.state}${b.startMs !== null ? ` · from ${formatDuration(b.startMs)}` : ""}${b.durationMs !== null ? ` · ${formatDuration(b.durationMs)}` : ""}${b.rowsOut !== null ? ` · ${formatRows(b.rowsOut)} rows` : ""}`} />
          </div>
          <span className="gantt-dur" role="cell">{b.durationMs === null ? b.state : formatDuration(b.durationMs)}</span>
        </div>
      ))}
    </div>
  );
}
