"use client";
// How a Python UDF runs: stateless tasks, or an actor pool (min/max actors) for UDFs with costly
// set-up; plus the batch size (empty lets Ray choose).
import { useId } from "react";
import type { Compute, Diagnostic } from "@/server/pipeline";
import { fieldDiagnostics, FieldErrors, IntegerField } from "./fields";

export function ComputeFields(props: {
  compute: Compute;
  batchSize: number | null;
  diagnostics: readonly Diagnostic[];
  onCompute: (c: Compute) => void;
  onBatchSize: (b: number | null) => void;
  commit: () => void;
}) {
  const name = useId();
  const { compute } = props;
  return (
    <fieldset className="field compute">
      <legend className="field-label">Compute</legend>
      <div className="segmented" role="radiogroup" aria-label="Run as">
        {(["tasks", "actors"] as const).map((s) => (
          <label key={s} className={compute.strategy === s ? "on" : ""}>
            <input type="radio" name={name} value={s} checked={compute.strategy === s} onChange={() => props.onCompute({ ...compute, strategy: s })} />
            {s === "tasks" ? "Tasks" : "Actor pool"}
          </label>
        ))}
      </div>
      <p className="field-hint">
        {compute.strategy === "tasks" ? "Stateless tasks: best when the UDF has no set-up cost." : "Long-lived actors: set-up runs once per actor, then batches stream through."}
      </p>
      {compute.strategy === "actors" ? (
        <div className="row2">
          <IntegerField label="Min actors" value={compute.minSize} min={1} onChange={(v) => v !== null && props.onCompute({ ...compute, minSize: v })} onBlur={props.commit} />
          <IntegerField label="Max actors" value={compute.maxSize} min={1} onChange={(v) => v !== null && props.onCompute({ ...compute, maxSize: v })} onBlur={props.commit} />
        </div>
      ) : null}
      <FieldErrors diagnostics={fieldDiagnostics(props.diagnostics, "compute")} />
      <IntegerField
        label="Batch size" value={props.batchSize} nullable min={1} placeholder="auto (Ray chooses)"
        onChange={props.onBatchSize} onBlur={props.commit} diagnostics={fieldDiagnostics(props.diagnostics, "batchSize")}
      />
    </fieldset>
  );
}
