// drop-columns: removes the listed columns. Every listed column must exist; dropping all is an error.
import { diag, type Diagnostic } from "../diagnostics";
import { DropColumnsParamsSchema } from "../schema";
import { checkColumnList, oneLine } from "./common";
import type { NodeKindSpec } from "./spec";

export const dropColumns: NodeKindSpec<"drop-columns"> = {
  kind: "drop-columns",
  label: "Drop columns",
  category: "transform",
  description: "Removes columns you do not need downstream.",
  defaults: () => DropColumnsParamsSchema.parse({}),
  summary: (p) => (p.columns.length === 0 ? "drop (nothing yet)" : oneLine(`drop ${p.columns.join(", ")}`)),
  outputSchema(node, input) {
    const cols = node.params.columns;
    const diagnostics: Diagnostic[] = [];
    if (cols.length === 0) {
      diagnostics.push(diag("E_DROP_EMPTY", "Choose at least one column to drop", { nodeId: node.id, field: "columns" }));
    }
    diagnostics.push(...checkColumnList(node.id, cols, input, (i) => `columns.${i}`));
    if (input === null) return { schema: null, diagnostics };
    const dropped = new Set(cols);
    const schema = input.filter((c) => !dropped.has(c.name));
    if (schema.length === 0 && input.length > 0) {
      diagnostics.push(diag("E_DROP_ALL", "Dropping every column leaves nothing to write", { nodeId: node.id, field: "columns" }));
    }
    return { schema, diagnostics };
  },
};
