"use client";
// The generated Ray script, read-only, with the lines of the selected node highlighted (from
// the compiler's source map) and scrolled into view.
import { python } from "@codemirror/lang-python";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, lineNumbers, type DecorationSet } from "@codemirror/view";
import { useEffect, useMemo } from "react";
import { editorTheme, useCodeMirror } from "./use-codemirror";

const setHighlight = StateEffect.define<readonly (readonly [number, number])[]>();
const lineMark = Decoration.line({ class: "cm-node-lines" });

const highlightField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setHighlight)) continue;
      const b = new RangeSetBuilder<Decoration>();
      const lines = new Set<number>();
      for (const [a, z] of e.value) for (let l = a; l <= z; l++) if (l >= 1 && l <= tr.state.doc.lines) lines.add(l);
      for (const l of [...lines].sort((x, y) => x - y)) {
        const line = tr.state.doc.line(l);
        b.add(line.from, line.from, lineMark);
      }
      next = b.finish();
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function ScriptView({ text, highlight }: { text: string; highlight: readonly (readonly [number, number])[] }) {
  const extensions = useMemo(() => [
    lineNumbers(),
    python(),
    syntaxHighlighting(defaultHighlightStyle),
    highlightField,
    editorTheme,
    EditorView.theme({ "&": { height: "100%" }, ".cm-scroller": { overflow: "auto" }, ".cm-node-lines": { backgroundColor: "#fff4c2" } }),
  ], []);
  const { host, view } = useCodeMirror({ value: text, extensions, label: "Generated Ray script", readOnly: true });
  const key = JSON.stringify(highlight);
  useEffect(() => {
    if (!view) return;
    const first = highlight.length ? Math.min(...highlight.map((r) => r[0])) : null;
    const effects: StateEffect<unknown>[] = [setHighlight.of(highlight)];
    if (first !== null && first <= view.state.doc.lines) {
      effects.push(EditorView.scrollIntoView(view.state.doc.line(first).from, { y: "start", yMargin: 24 }));
    }
    view.dispatch({ effects });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, key, text]);
  return <div ref={host} className="cm-host script" data-highlighted-lines={highlight.map(([a, b]) => `${a}-${b}`).join(",")} />;
}
