// sort: orders rows by one or more keys, each ascending or descending, nulls last. The only
// all-to-all node, so a sort feeding a sink makes the run preserve order.
import { diag, type Diagnostic } from "../diagnostics";
import { SortParamsSchema } from "../schema";
import type { DataType } from "../types";
import { checkColumnList, oneLine } from "./common";
import type { NodeKindSpec } from "./spec";

const UNSORTABLE: ReadonlySet<DataType> = new Set(["list", "struct", "binary", "null", "unknown"]);

export const sort: NodeKindSpec<"sort"> = {
  kind: "sort",
  label: "Sort",
  category: "transform",
  description: "Sorts all rows by one or more columns (nulls last).",
  defaults: () => SortParamsSchema.parse({}),
  summary: (p) =>
    p.keys.length === 0 ? "sort (no keys yet)" : oneLine(`sort by ${p.keys.map((k) => `${k.column}${k.descending ? " desc" : ""}`).join(", ")}`),
  outputSchema(node, input) {
    const keys = node.params.keys;
    const diagnostics: Diagnostic[] = [];
    if (keys.length === 0) {
      diagnostics.push(diag("E_SORT_NO_KEYS", "Choose at least one column to sort by", { nodeId: node.id, field: "keys" }));
    }
    diagnostics.push(...checkColumnList(node.id, keys.map((k) => k.column), input, (i) => `keys.${i}.column`));
    if (input === null) return { schema: null, diagnostics };
    const byName = new Map(input.map((c) => [c.name, c]));
    keys.forEach((k, i) => {
      const col = byName.get(k.column);
      if (col && UNSORTABLE.has(col.type)) {
        diagnostics.push(diag("E_SORT_KEY_UNSORTABLE", `Cannot sort by '${k.column}': ${col.type} values have no order`, {
          nodeId: node.id, field: `keys.${i}.column`,
        }));
      }
    });
    return { schema: input, diagnostics };
  },
};
