"use client";
// add-column: the new column's name, and either an expression (typed against the input schema
// as you type, with completion) or Python compute(batch) with a declared type and compute options.
import { useId } from "react";
import { DECLARABLE_TYPES } from "@/server/pipeline";
import { ExpressionEditor } from "@/components/script/expression-editor";
import { PythonEditor } from "@/components/script/python-editor";
import { ComputeFields } from "./compute-fields";
import { fieldDiagnostics, FieldErrors, SelectField, TextField } from "./fields";
import type { FormProps } from "./form-props";

export const PYTHON_COLUMN_TEMPLATE = "def compute(batch):\n    # batch is a pandas DataFrame; return a Series\n    return batch[\"total_votes\"] < 100\n";

export function AddColumnForm({ node, input, diagnostics, set, commit, pythonPending }: FormProps<"add-column">) {
  const p = node.params;
  const modeName = useId();
  const exprErrId = useId();
  const pyErrId = useId();
  const exprDiags = fieldDiagnostics(diagnostics, "expression");
  const sourceDiags = fieldDiagnostics(diagnostics, "source");
  const syntax = sourceDiags.find((d) => d.code === "E_PY_SYNTAX");
  return (
    <>
      <TextField label="Column name" value={p.column} mono placeholder="helpful_ratio" onChange={(v) => set({ column: v }, "column")} onBlur={commit} diagnostics={fieldDiagnostics(diagnostics, "column")} />
      <fieldset className="field">
        <legend className="field-label">Computed by</legend>
        <div className="segmented" role="radiogroup" aria-label="Computed by">
          {(["expression", "python"] as const).map((m) => (
            <label key={m} className={p.mode === m ? "on" : ""}>
              <input
                type="radio" name={modeName} value={m} checked={p.mode === m}
                onChange={() => set(m === "python" && !p.source.trim() ? { mode: m, source: PYTHON_COLUMN_TEMPLATE } : { mode: m }, "mode")}
              />
              {m === "expression" ? "Expression" : "Python"}
            </label>
          ))}
        </div>
      </fieldset>
      {p.mode === "expression" ? (
        <div className={`field${exprDiags.length ? " invalid" : ""}`}>
          <div className="field-label" id={`${exprErrId}-label`}>Expression</div>
          <ExpressionEditor
            value={p.expression} onChange={(v) => set({ expression: v }, "expression")} onBlur={commit}
            schema={input} errors={exprDiags} label="Expression" describedBy={exprErrId}
          />
          <FieldErrors id={exprErrId} diagnostics={exprDiags} />
          {!exprDiags.length && input === null ? <p className="field-hint">Connect an input to check the expression against its columns.</p> : null}
          {!exprDiags.length && input !== null ? <p className="field-hint">Columns, + − * / %, comparisons, and/or/not, functions. Ctrl+Space completes.</p> : null}
        </div>
      ) : (
        <>
          <div className={`field${sourceDiags.length ? " invalid" : ""}`}>
            <div className="field-label">Python source</div>
            <PythonEditor
              value={p.source} onChange={(v) => set({ source: v }, "source")} onBlur={commit}
              error={syntax?.line ? { line: syntax.line, message: syntax.message } : null} label="Python source" describedBy={pyErrId}
            />
            <FieldErrors id={pyErrId} diagnostics={sourceDiags} />
            {pythonPending ? <p className="field-hint">Checking syntax…</p> : null}
          </div>
          <SelectField
            label="Output type" value={p.outputType}
            options={DECLARABLE_TYPES.map((t) => ({ value: t, label: t }))}
            onChange={(v) => set({ outputType: v }, "outputType")}
          />
          <ComputeFields
            compute={p.compute} batchSize={p.batchSize} diagnostics={diagnostics} commit={commit}
            onCompute={(c) => set({ compute: c }, "compute")} onBatchSize={(b) => set({ batchSize: b }, "batchSize")}
          />
        </>
      )}
    </>
  );
}
