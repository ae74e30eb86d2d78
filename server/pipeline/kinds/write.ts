// write: a sink writing parquet, csv or json, committed atomically by the runtime. Conflicts
// between paths of different nodes are checked document-wide (write-conflicts.ts).
import { diag, type Diagnostic } from "../diagnostics";
import { WriteParamsSchema } from "../schema";
import { oneLine } from "./common";
import type { NodeKindSpec } from "./spec";

export const write: NodeKindSpec<"write"> = {
  kind: "write",
  label: "Write",
  category: "sink",
  description: "Writes the rows as parquet, csv or json, locally or to S3, all-or-nothing.",
  defaults: () => WriteParamsSchema.parse({}),
  summary: (p) => oneLine(`${p.format} -> ${p.path.trim() === "" ? "(no path)" : p.path} (${p.mode})`),
  outputSchema(node, input) {
    const diagnostics: Diagnostic[] = [];
    if (node.params.path.trim() === "") {
      diagnostics.push(diag("E_PATH_MISSING", "Choose where to write", { nodeId: node.id, field: "path" }));
    }
    return { schema: input, diagnostics };
  },
};
