// udf-filter: keeps the rows selected by Python `keep(batch)` over pandas batches, as tasks or
// on an actor pool. The schema passes through unchanged.
import type { Diagnostic } from "../diagnostics";
import { UdfFilterParamsSchema } from "../schema";
import { checkCompute, checkPythonSource, describeCompute } from "./common";
import type { NodeKindSpec } from "./spec";

export const udfFilter: NodeKindSpec<"udf-filter"> = {
  kind: "udf-filter",
  label: "Filter (Python)",
  category: "transform",
  description: "Keeps rows chosen by a Python keep(batch) over pandas DataFrames.",
  defaults: () =>
    UdfFilterParamsSchema.parse({ source: "def keep(batch):\n    # return a boolean mask, e.g.:\n    return batch['total_votes'] > 0\n" }),
  summary: (p) => `keep(batch) on ${describeCompute(p.compute)}${p.batchSize ? `, batches of ${p.batchSize}` : ""}`,
  outputSchema(node, input, ctx) {
    const p = node.params;
    const diagnostics: Diagnostic[] = [
      ...checkPythonSource(node.id, p.source, "keep", "E_UDF_NO_KEEP", ctx),
      ...checkCompute(node.id, p.compute, p.batchSize),
    ];
    return { schema: input, diagnostics };
  },
};
