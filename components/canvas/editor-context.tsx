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

/** The store's current state; re-renders on every store change (drags included). */
export function useEditorState(store: EditorStore): EditorState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

/**
 * One part of the store's state; re-renders only when that part changes. The selector must
 * return something the store keeps stable (doc, selectedNodes, a label...), not a new object.
 */
export function useEditorSelector<T>(store: EditorStore, select: (s: EditorState) => T): T {
  const get = () => select(store.getState());
  return useSyncExternalStore(store.subscribe, get, get);
}
