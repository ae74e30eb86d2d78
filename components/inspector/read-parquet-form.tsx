"use client";
// read-parquet: the path (local dir/file/glob or s3://), what the footers say is there, and an
// optional subset of columns.
import { formatBytes } from "@/lib/time";
import { ColumnChecklist, fieldDiagnostics, TextField } from "./fields";
import type { FormProps } from "./form-props";
import { ConnectionPicker, ObjectBrowser } from "./s3-location";

export function ReadParquetForm({ node, diagnostics, set, commit, source, sourceLoading }: FormProps<"read-parquet">) {
  const p = node.params;
  const info = source?.ok ? source.info : null;
  return (
    <>
      <TextField
        label="Path" value={p.path} mono placeholder="data/reviews or s3://bucket/prefix"
        onChange={(v) => set({ path: v }, "path")} onBlur={commit} diagnostics={fieldDiagnostics(diagnostics, "path")}
        hint="A parquet file, folder or glob. Relative paths resolve against the server's base folder."
      />
      <ConnectionPicker value={p.connection} onChange={(v) => { set({ connection: v }, "connection"); commit(); }} diagnostics={diagnostics} />
      {p.connection ? <ObjectBrowser connection={p.connection} path={p.path} pickLabel="Read this" onPick={(v) => { set({ path: v }, "path"); commit(); }} /> : null}
      <div className="source-facts" aria-live="polite">
        {sourceLoading ? <span className="muted">Reading parquet footers…</span> : null}
        {info ? (
          <dl className="facts">
            <div><dt>Rows</dt><dd>{info.numRows === null ? "?" : info.numRows.toLocaleString("en-US")}</dd></div>
            <div><dt>Columns</dt><dd>{info.schema.length}</dd></div>
            <div><dt>Files</dt><dd>{info.files ?? "?"}</dd></div>
            <div><dt>Size</dt><dd>{info.sizeBytes === null ? "?" : formatBytes(info.sizeBytes)}</dd></div>
            {info.partitionKeys.length ? <div className="wide"><dt>Partitioned by</dt><dd>{info.partitionKeys.join(", ")}</dd></div> : null}
          </dl>
        ) : null}
      </div>
      <fieldset className="field">
        <legend className="field-label">Columns to read</legend>
        <label className="check-row plain">
          <input type="checkbox" checked={p.columns === null} onChange={(e) => set({ columns: e.target.checked ? null : (info?.schema.map((c) => c.name) ?? []) }, "columns")} />
          All columns
        </label>
      </fieldset>
      {p.columns !== null ? (
        <ColumnChecklist
          label="Read only these columns" schema={info?.schema ?? null} value={p.columns}
          onChange={(v) => set({ columns: v }, "columns")} diagnostics={fieldDiagnostics(diagnostics, "columns")}
          emptyText="Columns appear once the path can be read."
        />
      ) : null}
    </>
  );
}
