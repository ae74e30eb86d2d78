"use client";
// Small pieces the dashboard pages share: a run's state badge, times, and links.
import Link from "next/link";
import type { RunState } from "@/server/runs/snapshot";
import { formatDuration, formatRows } from "@/components/runs/run-progress";

export const STATE_TEXT: Record<RunState, string> = {
  queued: "Queued", submitted: "Submitted", running: "Running", succeeded: "Succeeded", failed: "Failed", cancelled: "Cancelled",
};

export function StateBadge({ state }: { state: RunState }) {
  return <span className={`run-badge state-${state}`}>{STATE_TEXT[state]}</span>;
}

export const fmtDuration = (ms: number | null) => (ms === null ? "—" : formatDuration(ms));
export const fmtRows = (n: number | null) => (n === null ? "—" : formatRows(n));

/** "14 Mar, 09:30:12" in the browser's zone; the full instant in the title. */
export function When({ iso }: { iso: string | null }) {
  if (!iso) return <>—</>;
  const d = new Date(iso);
  return <time dateTime={iso} title={d.toString()}>{d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" })}</time>;
}

export function RunLink({ id }: { id: string }) {
  return <Link href={`/runs/${encodeURIComponent(id)}`} className="mono small">{id}</Link>;
}

/** The editor at a node (the run is replayed on the canvas and the node selected). */
export const editorAt = (pipelineId: string, runId: string, nodeId?: string | null) =>
  `/pipelines/${encodeURIComponent(pipelineId)}?run=${encodeURIComponent(runId)}${nodeId ? `&node=${encodeURIComponent(nodeId)}` : ""}`;
