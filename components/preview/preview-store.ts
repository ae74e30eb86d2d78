"use client";
// What the preview shows, per pipeline: whether the panel is open, for which node and tab, and
// the latest answer for that node (the canvas overlay pins its error to a node). Shared by the
// panel and the canvas overlay without a provider (each mounts with one line).
import { useSyncExternalStore } from "react";
import type { PreviewResult } from "@/server/preview/types";

export type PreviewTab = "rows" | "schema" | "dataset";

export interface PreviewView {
  readonly open: boolean;
  readonly nodeId: string | null;
  readonly tab: PreviewTab;
  /** The latest answer shown in the panel (null while the first one is on its way). */
  readonly result: PreviewResult | null;
}

const EMPTY: PreviewView = { open: false, nodeId: null, tab: "rows", result: null };

class PreviewStore {
  private views = new Map<string, PreviewView>();
  private listeners = new Set<() => void>();

  get(pipelineId: string): PreviewView {
    return this.views.get(pipelineId) ?? EMPTY;
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private update(pipelineId: string, patch: Partial<PreviewView>): void {
    const prev = this.get(pipelineId);
    const next = { ...prev, ...patch };
    if ((Object.keys(patch) as (keyof PreviewView)[]).every((k) => prev[k] === next[k])) return;
    this.views.set(pipelineId, next);
    for (const l of this.listeners) l();
  }

  /** Opens the panel on a node (a source opens on its dataset facts the first time). */
  show(pipelineId: string, nodeId: string, opts: { source?: boolean } = {}): void {
    const prev = this.get(pipelineId);
    const tab = prev.nodeId === nodeId ? prev.tab : opts.source ? "dataset" : prev.tab === "dataset" ? "rows" : prev.tab;
    this.update(pipelineId, { open: true, nodeId, tab, result: prev.nodeId === nodeId ? prev.result : null });
  }

  close(pipelineId: string): void {
    this.update(pipelineId, { open: false });
  }

  setTab(pipelineId: string, tab: PreviewTab): void {
    this.update(pipelineId, { tab });
  }

  setResult(pipelineId: string, nodeId: string, result: PreviewResult | null): void {
    if (this.get(pipelineId).nodeId !== nodeId) return;
    this.update(pipelineId, { result });
  }
}

export const previewStore = new PreviewStore();

export function usePreviewView(pipelineId: string): PreviewView {
  return useSyncExternalStore(previewStore.subscribe, () => previewStore.get(pipelineId), () => EMPTY);
}
