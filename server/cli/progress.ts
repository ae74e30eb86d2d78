// Terminal progress for `etl run`: one line per Ray stage (fused nodes named together) with
// state, rows and elapsed time; redrawn in place on a TTY, printed on change otherwise.
import { foldStages, type RunEvent, type StageState } from "../runner/events";

const ICON: Record<StageState["state"], string> = { pending: "·", running: "▶", succeeded: "✔", failed: "✖", cancelled: "■" };

export function formatStage(s: StageState, now = Date.now() / 1000): string {
  const rows = s.rowsOut == null ? "" : `${s.rowsOut.toLocaleString("en-US")} rows`;
  const secs = ((s.state === "running" ? now : s.lastTs) - s.firstTs).toFixed(1);
  const sink = s.sink ? ` → ${s.sink}` : "";
  return `  ${ICON[s.state]} [${s.nodes.join(" + ")}]${sink}  ${s.stage}  ${rows}  ${secs}s`;
}

export class ProgressView {
  private events: RunEvent[] = [];
  private drawn = 0;
  private lastText = new Map<string, string>();
  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  update(fresh: readonly RunEvent[]) {
    this.events.push(...fresh);
    const stages = foldStages(this.events);
    if (this.out.isTTY) {
      if (this.drawn) this.out.write(`\x1b[${this.drawn}A`);
      for (const s of stages) this.out.write(`\x1b[2K${formatStage(s)}\n`);
      this.drawn = stages.length;
    } else {
      for (const s of stages) {
        const key = `${s.state}|${s.rowsOut}`;
        if (this.lastText.get(s.key) !== key) {
          this.lastText.set(s.key, key);
          this.out.write(`${formatStage(s)}\n`);
        }
      }
    }
  }
}
