"use client";
// Shares the editor store and the live analysis with the canvas, inspector and panels.
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from "react";
import { isPointerHolding, subscribePointerHold } from "./pointer-hold";
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

/**
 * `value`, except while the pointer holds a canvas node: then the value from before the grab,
 * until just after the release. Grabbing a node selects it; what follows the selection (the
 * inspector's form, CodeMirror and all: 50-70 ms; the preview panel and its request) waits, so
 * none of it stalls the drag. On release it waits one frame more, so the dropped node is painted
 * in its place before the new form is built. A click shows it all one frame after the release.
 */
export function useReleasedValue<T>(value: T): T {
  const held = useSyncExternalStore(subscribePointerHold, isPointerHolding, () => false);
  const [shown, setShown] = useState(value);
  // The value to keep through the next grab: the latest one seen while nothing was held.
  useEffect(() => {
    if (!held) setShown(value);
  }, [value, held]);
  return held ? shown : value;
}
