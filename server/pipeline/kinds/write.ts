// write: a sink writing parquet, csv or json, committed atomically by the runtime. Conflicts
// between paths of different nodes are checked document-wide (write-conflicts.ts).
import { diag, type Diagnostic } from "../diagnostics";
import { WriteParamsSchema } from "../schema";
import { checkConnection, oneLine } from "./common";
import type { NodeKindSpec } from "./spec";

export const write: NodeKindSpec<"write"> = {
  kind: "write",
  label: "Write",
  category: "sink",
  description: "Writes the rows as parquet, csv or json, locally or to S3, all-or-nothing.",
  defaults: () => WriteParamsSchema.parse({}),
  summary: (p) => oneLine(`${p.format} -> ${p.path.trim() === "" ? "(no path)" : p.path} (${p.mode})`),
  outputSchema(node, input, ctx) {
    const diagnostics: Diagnostic[] = checkConnection(node.id, node.params.path, node.params.connection, ctx);
    if (node.params.path.trim() === "") {
      diagnostics.push(diag("E_PATH_MISSING", "Choose where to write", { nodeId: node.id, field: "path" }));
    }
    return { schema: input, diagnostics };
  },
};
