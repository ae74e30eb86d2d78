"use client";
// udf-filter: Python keep(batch) over pandas batches, and how it runs.
import { useId } from "react";
import { PythonEditor } from "@/components/script/python-editor";
import { ComputeFields } from "./compute-fields";
import { fieldDiagnostics, FieldErrors } from "./fields";
import type { FormProps } from "./form-props";

export function UdfFilterForm({ node, diagnostics, set, commit, pythonPending }: FormProps<"udf-filter">) {
  const p = node.params;
  const errId = useId();
  const sourceDiags = fieldDiagnostics(diagnostics, "source");
  const syntax = sourceDiags.find((d) => d.code === "E_PY_SYNTAX");
  return (
    <>
      <div className={`field${sourceDiags.length ? " invalid" : ""}`}>
        <div className="field-label">Python source</div>
        <p className="field-hint">Define <code>keep(batch)</code>: takes a pandas DataFrame, returns a boolean mask or the rows to keep.</p>
        <PythonEditor
          value={p.source} onChange={(v) => set({ source: v }, "source")} onBlur={commit}
          error={syntax?.line ? { line: syntax.line, message: syntax.message } : null} label="Python source" describedBy={errId}
        />
        <FieldErrors id={errId} diagnostics={sourceDiags} />
        {pythonPending ? <p className="field-hint">Checking syntax…</p> : null}
      </div>
      <ComputeFields
        compute={p.compute} batchSize={p.batchSize} diagnostics={diagnostics} commit={commit}
        onCompute={(c) => set({ compute: c }, "compute")} onBatchSize={(b) => set({ batchSize: b }, "batchSize")}
      />
    </>
  );
}
