"use client";
// write: where, which format, and what to do when the output exists.
import { fieldDiagnostics, SelectField, TextField } from "./fields";
import type { FormProps } from "./form-props";
import { ConnectionPicker, ObjectBrowser } from "./s3-location";

const MODES = [
  { value: "error", label: "Fail if it exists" },
  { value: "overwrite", label: "Overwrite" },
  { value: "append", label: "Append" },
] as const;

export function WriteForm({ node, diagnostics, set, commit }: FormProps<"write">) {
  const p = node.params;
  return (
    <>
      <TextField
        label="Output path" value={p.path} mono placeholder="out/reviews or s3://bucket/prefix"
        onChange={(v) => set({ path: v }, "path")} onBlur={commit} diagnostics={fieldDiagnostics(diagnostics, "path")}
        hint="Written all-or-nothing: a failed run leaves the previous output untouched."
      />
      <ConnectionPicker value={p.connection} onChange={(v) => { set({ connection: v }, "connection"); commit(); }} diagnostics={diagnostics} />
      {p.connection ? <ObjectBrowser connection={p.connection} path={p.path} pickLabel="Write here" onPick={(v) => { set({ path: v }, "path"); commit(); }} /> : null}
      <SelectField label="Format" value={p.format} options={[{ value: "parquet", label: "Parquet" }, { value: "csv", label: "CSV" }, { value: "json", label: "JSON lines" }]} onChange={(v) => set({ format: v }, "format")} />
      <SelectField label="Mode" value={p.mode} options={MODES} onChange={(v) => set({ mode: v }, "mode")} diagnostics={fieldDiagnostics(diagnostics, "mode")} />
    </>
  );
}
