"use client";
// drop-columns: tick the input columns to remove.
import { ColumnChecklist, fieldDiagnostics } from "./fields";
import type { FormProps } from "./form-props";

export function DropColumnsForm({ node, input, diagnostics, set }: FormProps<"drop-columns">) {
  return (
    <ColumnChecklist
      label="Columns to drop" schema={input} value={node.params.columns}
      onChange={(v) => set({ columns: v }, "columns")} diagnostics={fieldDiagnostics(diagnostics, "columns")}
      emptyText="Connect an input to choose from its columns."
    />
  );
}
