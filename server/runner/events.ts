// Parses the runtime's `ETL_EVENT {json}` stdout lines (runtime/etl_runtime/events.py) out of a
// Ray job's log, incrementally, and folds them into per-stage state for progress displays.
import { z } from "zod";

export const EVENT_PREFIX = "ETL_EVENT ";

export const StageEventSchema = z.object({
  type: z.literal("stage"),
  ts: z.number(),
  stage: z.string(),
  nodes: z.array(z.string()),
  state: z.enum(["pending", "running", "succeeded", "failed", "cancelled"]),
  /** Position of the operator in its sink's execution; with `sink` it names the stage uniquely. */
  stageIndex: z.number().int().nullish(),
  rowsOut: z.number().nullish(),
  rowsIn: z.number().nullish(),
  bytesOut: z.number().nullish(),
  tasksDone: z.number().nullish(),
  tasksTotal: z.number().nullish(),
  tasksRunning: z.number().nullish(),
  sink: z.string().nullish(),
});
export const RunEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run-started"), ts: z.number() }).passthrough(),
  StageEventSchema,
  z.object({ type: z.literal("sink-committed"), ts: z.number(), nodeId: z.string(), path: z.string().nullish(), rows: z.number().nullish() }).passthrough(),
  z.object({ type: z.literal("run-succeeded"), ts: z.number() }).passthrough(),
  z.object({
    type: z.literal("run-failed"),
    ts: z.number(),
    nodeId: z.string().nullish(),
    message: z.string(),
    udfLine: z.number().nullish(),
    traceback: z.array(z.string()).nullish(),
    /** Set when the run ended because the job was stopped (SIGTERM from `ray job stop`). */
    cancelled: z.boolean().nullish(),
  }).passthrough(),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
export type StageEvent = z.infer<typeof StageEventSchema>;

/** Feeds growing log text; returns only the events not seen before. Partial last lines wait. */
export class EventReader {
  private consumed = 0;
  readonly events: RunEvent[] = [];

  push(fullLog: string): RunEvent[] {
    const fresh: RunEvent[] = [];
    const end = fullLog.lastIndexOf("\n") + 1;
    if (end <= this.consumed) return fresh;
    for (const line of fullLog.slice(this.consumed, end).split("\n")) {
      const i = line.indexOf(EVENT_PREFIX);
      if (i < 0) continue;
      try {
        const parsed = RunEventSchema.safeParse(JSON.parse(line.slice(i + EVENT_PREFIX.length)));
        if (parsed.success) fresh.push(parsed.data);
      } catch {
        /* a user's print that happens to contain the prefix: not ours */
      }
    }
    this.consumed = end;
    this.events.push(...fresh);
    return fresh;
  }
}

export interface StageState {
  readonly key: string;
  readonly stage: string;
  readonly nodes: readonly string[];
  readonly state: StageEvent["state"];
  readonly rowsOut: number | null;
  readonly sink: string | null;
  readonly firstTs: number;
  readonly lastTs: number;
}

/** The stable key of a stage within a run, e.g. "out:2" (sink and operator index). */
export function stageKey(e: Pick<StageEvent, "sink" | "stage" | "stageIndex">): string {
  return `${e.sink ?? ""}:${e.stageIndex ?? e.stage}`;
}

/** Folds stage events into the latest state per (sink, stage), in first-seen order. */
export function foldStages(events: readonly RunEvent[]): StageState[] {
  const byKey = new Map<string, StageState>();
  for (const e of events) {
    if (e.type !== "stage") continue;
    const key = stageKey(e);
    const prev = byKey.get(key);
    byKey.set(key, {
      key,
      stage: e.stage,
      nodes: e.nodes,
      state: e.state,
      rowsOut: e.rowsOut ?? prev?.rowsOut ?? null,
      sink: e.sink ?? null,
      firstTs: prev?.firstTs ?? e.ts,
      lastTs: e.ts,
    });
  }
  return [...byKey.values()];
}
