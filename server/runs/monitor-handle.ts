// The process-wide handle of the run monitor. Next bundles route code apart from server/main.ts,
// so module state is not shared between them; globalThis is. The web tier only nudges the
// monitor (to submit a new run without waiting for the next poll) — it never depends on it.
export interface MonitorHandle {
  wake(): void;
}

const g = globalThis as unknown as { etlRunMonitor?: MonitorHandle };

export function setMonitorHandle(h: MonitorHandle | undefined): void {
  g.etlRunMonitor = h;
}

export function monitorHandle(): MonitorHandle | undefined {
  return g.etlRunMonitor;
}

/** Asks this process's monitor, if any, to look at the queue now. */
export function wakeMonitor(): void {
  g.etlRunMonitor?.wake();
}
