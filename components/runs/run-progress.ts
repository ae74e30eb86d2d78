// What the canvas shows of a run, per node and per edge, derived from a run snapshot. Pure (no
// React) so it is unit-tested and cheap to recompute on every snapshot.
//
// A Ray stage may run several graph nodes fused together (e.g. read + add-column + filter in
// one `ReadFiles->Project->MapBatches` operator): they share one state, and the stage's rows
// are the output of its LAST node, so only that node shows rows; the others are marked fused.
// A node may also appear in several stages (ListFiles + ReadFiles, the three sort phases, a
// source feeding two sinks): its state combines them and its rows come from its last stage.
import type { RunSnapshot, StageSnapshot } from "@/server/runs/snapshot";

export type NodeRunState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface NodeProgress {
  readonly state: NodeRunState;
  /** Rows out of this node, when this node is the output of its stage. */
  readonly rowsOut: number | null;
  /** The other nodes of its (last) stage when fused with them. */
  readonly fusedWith: readonly string[];
  /** The Ray operator name of its last stage, e.g. "ReadFiles->Project->MapBatches(keep)". */
  readonly stage: string | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

export interface FusedGroup {
  readonly key: string;
  readonly stage: string;
  readonly nodes: readonly string[];
  readonly state: StageSnapshot["state"];
  readonly rowsOut: number | null;
}

export interface EdgeProgress {
  /** Rows that flowed along the edge (rows out of its source), when measured. */
  readonly rows: number | null;
  /** Both ends run in one fused stage: rows between them are not measured separately. */
  readonly fused: boolean;
  readonly active: boolean;
}

const ms = (iso: string | null) => (iso ? Date.parse(iso) : null);

function combine(states: readonly StageSnapshot["state"][], runState: RunSnapshot["state"]): NodeRunState {
  if (states.includes("failed")) return "failed";
  if (states.includes("running")) return "running";
  if (states.length && states.every((s) => s === "succeeded")) return "succeeded";
  if (states.includes("cancelled")) return "cancelled";
  if (states.includes("succeeded")) return runState === "succeeded" ? "succeeded" : "running";
  return "queued";
}

/**
 * Per node of the run: state, rows, fusion, times. Nodes without a stage yet are "queued";
 * when the run ended they take its outcome (a node folded into another operator's work).
 */
export function nodeProgress(run: RunSnapshot): Map<string, NodeProgress> {
  const bySink = new Map<string, StageSnapshot[]>();
  const stagesOf = new Map<string, StageSnapshot[]>();
  for (const s of run.stages) {
    for (const n of s.nodes) stagesOf.set(n, [...(stagesOf.get(n) ?? []), s]);
    bySink.set(s.sink ?? "", [...(bySink.get(s.sink ?? "") ?? []), s]);
  }
  const out = new Map<string, NodeProgress>();
  for (const id of run.nodeIds) {
    const stages = stagesOf.get(id) ?? [];
    if (!stages.length) {
      const ended = run.state === "succeeded" || run.state === "failed" || run.state === "cancelled";
      const state: NodeRunState = !ended ? "queued" : run.state === "failed" && run.error?.nodeId === id ? "failed" : run.state === "succeeded" ? "succeeded" : "cancelled";
      out.set(id, { state, rowsOut: null, fusedWith: [], stage: null, startedAt: null, endedAt: null });
      continue;
    }
    let state = combine(stages.map((s) => s.state), run.state);
    if (run.state === "failed" && run.error?.nodeId === id) state = "failed";
    const last = stages[stages.length - 1];
    const isOutput = last.nodes[last.nodes.length - 1] === id;
    // a node shared by several sinks: rows of its last stage in the sink that ran it most
    const rows = isOutput ? Math.max(...stages.filter((s) => s.nodes[s.nodes.length - 1] === id).map((s) => s.rowsOut ?? -1)) : -1;
    const starts = stages.map((s) => ms(s.startedAt)).filter((x): x is number => x !== null);
    const ends = stages.map((s) => ms(s.endedAt));
    out.set(id, {
      state,
      rowsOut: rows >= 0 ? rows : null,
      fusedWith: last.nodes.filter((n) => n !== id),
      stage: last.stage,
      startedAt: starts.length ? Math.min(...starts) : null,
      endedAt: state === "running" || state === "queued" || ends.some((e) => e === null) ? null : Math.max(...(ends as number[])),
    });
  }
  return out;
}

/** Stages that run more than one node, for a shared outline on the canvas. */
export function fusedGroups(run: RunSnapshot): FusedGroup[] {
  const seen = new Set<string>();
  const out: FusedGroup[] = [];
  for (const s of run.stages) {
    if (s.nodes.length < 2) continue;
    const id = s.nodes.join("+");
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ key: s.key, stage: s.stage, nodes: s.nodes, state: s.state, rowsOut: s.rowsOut });
  }
  return out;
}

/** Rows along an edge: what left its source (if measured), and whether both ends are fused. */
export function edgeProgress(run: RunSnapshot, nodes: ReadonlyMap<string, NodeProgress>, source: string, target: string): EdgeProgress | null {
  const a = nodes.get(source);
  const b = nodes.get(target);
  if (!a || !b) return null;
  const fused = a.fusedWith.includes(target);
  return { rows: fused ? null : a.rowsOut, fused, active: a.state === "running" || b.state === "running" };
}

/** Share of the source rows, e.g. 0.27; null when unknown. */
export function shareOf(rows: number | null, sourceRows: number | null): number | null {
  if (rows === null || !sourceRows) return null;
  return rows / sourceRows;
}

export function formatRows(n: number): string {
  return n.toLocaleString("en-US");
}

/** "0.4 s", "12 s", "3 min 05 s" */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${String(s).padStart(2, "0")} s`;
}
