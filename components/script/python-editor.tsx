"use client";
// The Python editor for UDFs: CodeMirror with Python highlighting, line numbers, and the
// server's syntax error marked at its line.
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { defaultHighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { useMemo } from "react";
import { editorTheme, useCodeMirror, useDiagnostics } from "./use-codemirror";
import { useCan } from "@/components/auth/auth-context";

export function PythonEditor(props: {
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  /** 1-based line of a syntax error, with its message. */
  error: { line: number; message: string } | null;
  label: string;
  describedBy?: string;
}) {
  const extensions = useMemo(() => [
    lineNumbers(),
    history(),
    closeBrackets(),
    indentUnit.of("    "),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    python(),
    syntaxHighlighting(defaultHighlightStyle),
    highlightActiveLine(),
    lintGutter(),
    editorTheme,
  ], []);
  // Viewers read the code: the editor is read-only below the editor role (as the inspector's fields are).
  const edit = useCan("editor");
  const { host, view } = useCodeMirror({ value: props.value, onChange: props.onChange, onBlur: props.onBlur, extensions, label: props.label, describedBy: props.describedBy, readOnly: !edit.ok });
  const diagnostics = useMemo<CmDiagnostic[]>(() => {
    if (!props.error || !view) return [];
    const doc = view.state.doc;
    const line = doc.line(Math.max(1, Math.min(props.error.line, doc.lines)));
    return [{ from: line.from, to: line.to, severity: "error", message: props.error.message }];
  }, [props.error, view, props.value]); // eslint-disable-line react-hooks/exhaustive-deps
  useDiagnostics(view, diagnostics);
  return <div ref={host} className="cm-host python" />;
}
