// Folds the part of a job's log not seen yet into run and stage records. Pure: the monitor
// reads the stored offset and stages, calls foldLog, and writes the result back in one
// transaction, so a restart resumes at the stored offset and never counts anything twice.
import { EVENT_PREFIX, RunEventSchema, stageKey, type RunEvent, type StageEvent } from "../runner/events";

export type StageStateName = StageEvent["state"];
export const TERMINAL_STAGE_STATES: readonly StageStateName[] = ["succeeded", "failed", "cancelled"];

/** A stage record as the monitor stores it (one per run and key). */
export interface StageRecord {
  readonly key: string;
  readonly stage: string;
  readonly nodes: readonly string[];
  readonly sink: string | null;
  readonly state: StageStateName;
  readonly rowsOut: number | null;
  readonly bytesOut: number | null;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
}

export interface RunFailure {
  readonly nodeId: string | null;
  readonly message: string;
  readonly udfLine: number | null;
  readonly traceback: readonly string[];
  readonly cancelled: boolean;
}

export interface FoldResult {
  /** The new offset: up to the end of the last complete line. */
  readonly offset: number;
  /** Stages created or changed by the new events, by key. */
  readonly stages: ReadonlyMap<string, StageRecord>;
  readonly startedAt: Date | null;
  readonly succeeded: { readonly rowsWritten: Record<string, number> } | null;
  readonly failed: RunFailure | null;
  readonly events: readonly RunEvent[];
}

const at = (ts: number) => new Date(Math.round(ts * 1000));

/** Parses complete lines of `log` after `offset` into events (a partial last line waits). */
export function readEvents(log: string, offset: number): { events: RunEvent[]; offset: number } {
  const end = log.lastIndexOf("\n") + 1;
  if (end <= offset) return { events: [], offset };
  const events: RunEvent[] = [];
  for (const line of log.slice(offset, end).split("\n")) {
    const i = line.indexOf(EVENT_PREFIX);
    if (i < 0) continue;
    try {
      const parsed = RunEventSchema.safeParse(JSON.parse(line.slice(i + EVENT_PREFIX.length)));
      if (parsed.success) events.push(parsed.data);
    } catch {
      /* a user's print that happens to contain the prefix */
    }
  }
  return { events, offset: end };
}

/** Applies one stage event to the previous record of its stage. */
export function applyStageEvent(prev: StageRecord | undefined, e: StageEvent): StageRecord {
  const ts = at(e.ts);
  const terminal = TERMINAL_STAGE_STATES.includes(e.state);
  // Once a stage ended it stays ended: a late throttled "running" line cannot revive it.
  if (prev && TERMINAL_STAGE_STATES.includes(prev.state) && !terminal) return prev;
  return {
    key: stageKey(e),
    stage: e.stage,
    nodes: e.nodes,
    sink: e.sink ?? null,
    state: e.state,
    rowsOut: e.rowsOut ?? prev?.rowsOut ?? null,
    bytesOut: e.bytesOut ?? prev?.bytesOut ?? null,
    startedAt: prev?.startedAt ?? (e.state === "pending" ? null : ts),
    endedAt: terminal ? (prev?.endedAt && TERMINAL_STAGE_STATES.includes(prev.state) ? prev.endedAt : ts) : null,
  };
}

/**
 * Folds `log` from `offset` on top of `stages` (the stored records).
 * Example: foldLog(log, run.eventsOffset, storedStages) -> { offset, stages: changed, failed, ... }
 */
export function foldLog(log: string, offset: number, stages: ReadonlyMap<string, StageRecord>): FoldResult {
  const read = readEvents(log, offset);
  const changed = new Map<string, StageRecord>();
  let startedAt: Date | null = null;
  let succeeded: FoldResult["succeeded"] = null;
  let failed: RunFailure | null = null;
  for (const e of read.events) {
    switch (e.type) {
      case "run-started":
        startedAt ??= at(e.ts);
        break;
      case "stage": {
        const key = stageKey(e);
        const next = applyStageEvent(changed.get(key) ?? stages.get(key), e);
        changed.set(key, next);
        break;
      }
      case "run-succeeded": {
        const rows = (e as { rowsWritten?: unknown }).rowsWritten;
        succeeded = { rowsWritten: rows && typeof rows === "object" ? (rows as Record<string, number>) : {} };
        break;
      }
      case "run-failed":
        failed = {
          nodeId: e.nodeId ?? null,
          message: e.message,
          udfLine: e.udfLine ?? null,
          traceback: e.traceback ?? [],
          cancelled: e.cancelled === true,
        };
        break;
      default:
        break;
    }
  }
  return { offset: read.offset, stages: changed, startedAt, succeeded, failed, events: read.events };
}

/** Stages still open when a run ends take the run's outcome: succeeded, or cancelled (a failed
 * run stops the stages that did not fail themselves). */
export function closeStages(stages: Iterable<StageRecord>, outcome: "succeeded" | "failed" | "cancelled", endedAt: Date): StageRecord[] {
  const out: StageRecord[] = [];
  for (const s of stages) {
    if (TERMINAL_STAGE_STATES.includes(s.state)) continue;
    out.push({ ...s, state: outcome === "succeeded" ? "succeeded" : "cancelled", endedAt, startedAt: s.startedAt ?? null });
  }
  return out;
}

/** The last `maxLines` lines of a job log without event lines, e.g. for the run panel. */
export function logTail(log: string, maxLines = 200, maxChars = 32_000): string {
  const lines = log.split("\n").filter((l) => !l.includes(EVENT_PREFIX));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const tail = lines.slice(-maxLines).join("\n");
  return tail.length > maxChars ? tail.slice(tail.length - maxChars) : tail;
}
