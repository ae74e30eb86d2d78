"use client";
// The run the editor shows, per pipeline: which run is open and its latest snapshot, shared by
// the toolbar buttons, the canvas overlay and the run panel without a provider (each mounts
// with one line in the editor). Also remembers every state each node was seen in, so the
// canvas (and a test) can tell a node went through "running" even if it was brief.
import { useSyncExternalStore } from "react";
import type { RunSnapshot } from "@/server/runs/snapshot";
import { nodeProgress, type NodeRunState } from "./run-progress";

export interface RunView {
  readonly runId: string | null;
  readonly snapshot: RunSnapshot | null;
  /** States each node was seen in, in order of first sight. */
  readonly seen: ReadonlyMap<string, readonly NodeRunState[]>;
  /** Browser time when the snapshot arrived, and the server's clock then (to tick elapsed times). */
  readonly receivedAt: number;
  readonly panelOpen: boolean;
  readonly panelTab: "run" | "runs";
  readonly watchError: string | null;
}

const EMPTY: RunView = { runId: null, snapshot: null, seen: new Map(), receivedAt: 0, panelOpen: false, panelTab: "run", watchError: null };

class RunStore {
  private views = new Map<string, RunView>();
  private listeners = new Set<() => void>();

  get(pipelineId: string): RunView {
    return this.views.get(pipelineId) ?? EMPTY;
  }

  private set(pipelineId: string, next: RunView) {
    this.views.set(pipelineId, next);
    for (const l of this.listeners) l();
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Opens a run (or none): the overlay and panel switch to it; its snapshots arrive by watch. */
  open(pipelineId: string, runId: string | null, opts: { panel?: boolean } = {}) {
    const prev = this.get(pipelineId);
    if (prev.runId === runId && opts.panel === undefined) return;
    this.set(pipelineId, {
      ...prev,
      runId,
      snapshot: prev.runId === runId ? prev.snapshot : null,
      seen: prev.runId === runId ? prev.seen : new Map(),
      watchError: null,
      panelOpen: opts.panel ?? prev.panelOpen,
      panelTab: runId ? "run" : prev.panelTab,
    });
  }

  push(pipelineId: string, snap: RunSnapshot) {
    const prev = this.get(pipelineId);
    if (prev.runId !== snap.id) return; // a late snapshot of a run no longer open
    const seen = new Map(prev.seen);
    for (const [id, p] of nodeProgress(snap)) {
      const states = seen.get(id) ?? [];
      if (!states.includes(p.state)) seen.set(id, [...states, p.state]);
    }
    this.set(pipelineId, { ...prev, snapshot: snap, seen, receivedAt: Date.now(), watchError: null });
  }

  watchFailed(pipelineId: string, message: string) {
    this.set(pipelineId, { ...this.get(pipelineId), watchError: message });
  }

  showPanel(pipelineId: string, open: boolean, tab?: RunView["panelTab"]) {
    const prev = this.get(pipelineId);
    this.set(pipelineId, { ...prev, panelOpen: open, panelTab: tab ?? prev.panelTab });
  }
}

export const runStore = new RunStore();

export function useRunView(pipelineId: string): RunView {
  return useSyncExternalStore(runStore.subscribe, () => runStore.get(pipelineId), () => EMPTY);
}
