"use client";
// A controlled CodeMirror 6 view: created once per mount, the document follows `value` (undo in
// the editor store, reloads), and user edits flow out through `onChange`.
import { Annotation, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { useEffect, useRef, useState } from "react";

/** Marks transactions that come from props, so they are not echoed back as user edits. */
const External = Annotation.define<boolean>();

export interface CodeMirrorOptions {
  value: string;
  onChange?: (value: string) => void;
  onBlur?: () => void;
  extensions: Extension[];
  label: string;
  describedBy?: string;
  readOnly?: boolean;
}

export function useCodeMirror(opts: CodeMirrorOptions) {
  const host = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<EditorView | null>(null);
  const onChange = useRef(opts.onChange);
  const onBlur = useRef(opts.onBlur);
  onChange.current = opts.onChange;
  onBlur.current = opts.onBlur;

  useEffect(() => {
    if (!host.current) return;
    const attrs: Record<string, string> = { "aria-label": opts.label };
    if (opts.describedBy) attrs["aria-describedby"] = opts.describedBy;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: opts.value,
        extensions: [
          ...opts.extensions,
          EditorView.contentAttributes.of(attrs),
          EditorState.readOnly.of(!!opts.readOnly),
          EditorView.editable.of(!opts.readOnly),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(External))) onChange.current?.(u.state.doc.toString());
          }),
          EditorView.domEventHandlers({ blur: () => { onBlur.current?.(); } }),
        ],
      }),
    });
    setView(v);
    return () => {
      v.destroy();
      setView(null);
    };
    // Created once; value changes are synced below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!view) return;
    const current = view.state.doc.toString();
    if (current !== opts.value) {
      view.dispatch({ changes: { from: 0, to: current.length, insert: opts.value }, annotations: External.of(true) });
    }
  }, [view, opts.value]);

  return { host, view };
}

/** Shows diagnostics (underlines, gutter marks) in a view; ranges are clamped to the text. */
export function useDiagnostics(view: EditorView | null, diagnostics: readonly CmDiagnostic[]) {
  const key = JSON.stringify(diagnostics.map((d) => [d.from, d.to, d.message, d.severity]));
  useEffect(() => {
    if (!view) return;
    const len = view.state.doc.length;
    const clamped = diagnostics.map((d) => {
      const from = Math.max(0, Math.min(d.from, len));
      return { ...d, from, to: Math.max(from, Math.min(d.to, len)) };
    });
    view.dispatch(setDiagnostics(view.state, clamped));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, key]);
}

/** The light theme shared by the editors: system monospace, compact, matching the inspector. */
export const editorTheme = EditorView.theme({
  "&": { fontSize: "12.5px", backgroundColor: "#fff", border: "1px solid var(--line)", borderRadius: "6px" },
  "&.cm-focused": { outline: "2px solid #93b4f5", outlineOffset: "0" },
  ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", padding: "6px 0" },
  ".cm-gutters": { backgroundColor: "#f8f9fb", borderRight: "1px solid var(--line)", color: "#98a2b3" },
  ".cm-tooltip-autocomplete": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: "12px" },
  ".cm-completionDetail": { color: "#667085", fontStyle: "normal", marginLeft: "1em" },
});
