"use client";
// Shares the editor store and the live analysis with the canvas, inspector and panels.
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore } from "react";
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
  const held = useRef(false);
  const grabs = useRef(0);
  const latest = useRef(value);
  const [shown, setShown] = useState(value);
  useEffect(() => {
    latest.current = value;
    if (!held.current) setShown(value);
  }, [value]);
  useEffect(() => {
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const down = (e: PointerEvent) => {
      if (!(e.target instanceof Element && e.target.closest(".react-flow__node"))) return;
      held.current = true;
      grabs.current++;
    };
    const up = () => {
      if (!held.current) return;
      const grab = grabs.current;
      // After the next frame is painted: requestAnimationFrame runs before the paint, the
      // timeout after it.
      frame = requestAnimationFrame(() => {
        timer = setTimeout(() => {
          if (grabs.current !== grab) return; // grabbed again meanwhile: that release decides
          held.current = false;
          setShown(latest.current);
        });
      });
    };
    window.addEventListener("pointerdown", down, true);
    window.addEventListener("pointerup", up, true);
    window.addEventListener("pointercancel", up, true);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      window.removeEventListener("pointerdown", down, true);
      window.removeEventListener("pointerup", up, true);
      window.removeEventListener("pointercancel", up, true);
    };
  }, []);
  // Read during render on purpose: a grab in progress keeps the old value.
  return held.current ? shown : value;
}
