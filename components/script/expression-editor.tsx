"use client";
// The expression editor: CodeMirror with column and function completion from the pipeline
// core (completions()) against the schema flowing into the node, and its type errors
// underlined. The error text itself is rendered under the field by the form.
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionContext } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import type { Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { EditorView, keymap, placeholder, tooltips } from "@codemirror/view";
import { useMemo, useRef } from "react";
import { completions, type Schema } from "@/server/pipeline";
import { editorTheme, useCodeMirror, useDiagnostics } from "./use-codemirror";
import { useCan } from "@/components/auth/auth-context";

export interface ExpressionError { range?: readonly [number, number]; message: string }

export function ExpressionEditor(props: {
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  schema: Schema | null;
  errors: readonly ExpressionError[];
  label: string;
  describedBy?: string;
}) {
  const schema = useRef<Schema>(props.schema ?? []);
  schema.current = props.schema ?? [];
  const extensions = useMemo(() => [
    history(),
    closeBrackets(),
    keymap.of([...closeBracketsKeymap, ...completionKeymap, ...defaultKeymap, ...historyKeymap]),
    autocompletion({
      activateOnTyping: true,
      override: [(ctx: CompletionContext) => {
        const text = ctx.state.doc.toString();
        const c = completions(text, ctx.pos, schema.current);
        if (!c.options.length) return null;
        if (c.from === ctx.pos && !ctx.explicit) return null;
        return {
          from: c.from,
          options: c.options.map((o) => ({ label: o.label, type: o.kind === "column" ? "variable" : o.kind, detail: o.detail, apply: o.apply })),
          validFor: /^[`A-Za-z0-9_]*$/,
        };
      }],
    }),
    // In the body, so the completion list is not clipped by the scrolling inspector.
    typeof document === "undefined" ? [] : tooltips({ parent: document.body }),
    EditorView.lineWrapping,
    placeholder("e.g. helpful_votes / total_votes"),
    editorTheme,
  ], []);
  // Viewers read the code: the editor is read-only below the editor role (as the inspector's fields are).
  const edit = useCan("editor");
  const { host, view } = useCodeMirror({ value: props.value, onChange: props.onChange, onBlur: props.onBlur, extensions, label: props.label, describedBy: props.describedBy, readOnly: !edit.ok });
  const diagnostics = useMemo<CmDiagnostic[]>(
    () => props.errors.map((e) => ({ from: e.range?.[0] ?? 0, to: e.range?.[1] ?? props.value.length, severity: "error", message: e.message })),
    [props.errors, props.value.length],
  );
  useDiagnostics(view, diagnostics);
  return <div ref={host} className="cm-host expression" />;
}
