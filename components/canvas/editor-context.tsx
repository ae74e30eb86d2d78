"use client";
// Shares the editor store and the live analysis with the canvas, inspector and panels.
import { createContext, useContext, useSyncExternalStore } from "react";
import type { EditorStore, EditorState } from "./store";
import type { EditorAnalysis } from "./use-analysis";

export interface EditorContextValue {
  readonly store: EditorStore;
  readonly analysis: EditorAnalysis;
  /** Scrolls the canvas to a node and selects it (problems panel, inspector links). */
  readonly focusNode: (id: string) => void;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const v = useContext(EditorContext);
  if (!v) throw new Error("useEditor outside <EditorContext>");
  return v;
}

/** The store's current state; re-renders on every store change. */
export function useEditorState(store: EditorStore): EditorState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
