// add-column: appends one derived column, either from an expression (typed here, compiled to
// Ray Data expressions) or from Python `compute(batch)` with a declared output type.
import { diag, type Diagnostic } from "../diagnostics";
import { checkExpr, parseExpr, printExpr } from "../expr";
import type { ExprError } from "../expr/errors";
import { AddColumnParamsSchema } from "../schema";
import { clip } from "../suggest";
import { checkCompute, checkPythonSource, describeCompute, oneLine } from "./common";
import type { KindResult, NodeKindSpec } from "./spec";

export const addColumn: NodeKindSpec<"add-column"> = {
  kind: "add-column",
  label: "Add column",
  category: "transform",
  description: "Adds a column computed from an expression, or from Python over pandas batches.",
  defaults: () => AddColumnParamsSchema.parse({}),
  summary: (p) => {
    const name = p.column.trim() === "" ? "(unnamed)" : p.column;
    if (p.mode === "python") return oneLine(`${name}: ${p.outputType} = python compute(batch), ${describeCompute(p.compute)}`);
    const parsed = parseExpr(p.expression);
    return oneLine(`${name} = ${parsed.expr ? printExpr(parsed.expr) : p.expression.trim() || "?"}`);
  },
  outputSchema(node, input, ctx): KindResult {
    const p = node.params;
    const nodeId = node.id;
    const diagnostics: Diagnostic[] = [];
    if (p.column.trim() === "") {
      diagnostics.push(diag("E_COLUMN_NAME_EMPTY", "Name the new column", { nodeId, field: "column" }));
    } else if (input?.some((c) => c.name === p.column)) {
      diagnostics.push(diag("E_COLUMN_EXISTS", `Column '${clip(p.column)}' already exists`, {
        nodeId, field: "column", hint: "Choose another name, or drop the existing column first",
      }));
    }

    if (p.mode === "python") {
      diagnostics.push(...checkPythonSource(nodeId, p.source, "compute", "E_UDF_NO_COMPUTE", ctx));
      diagnostics.push(...checkCompute(nodeId, p.compute, p.batchSize));
      const schema = input && p.column.trim() !== "" ? [...input, { name: p.column, type: p.outputType, nullable: true }] : null;
      return { schema, diagnostics };
    }

    // Parse errors are worth showing even when the input schema is not known yet.
    const parsed = parseExpr(p.expression);
    if (parsed.expr === null) {
      diagnostics.push(...parsed.errors.map((e) => fromExprError(nodeId, e)));
      return { schema: null, diagnostics };
    }
    if (input === null) return { schema: null, diagnostics };
    const { typed, errors } = checkExpr(parsed.expr, input);
    diagnostics.push(...errors.map((e) => fromExprError(nodeId, e)));
    if (typed === null) return { schema: null, diagnostics };
    const schema = p.column.trim() !== "" ? [...input, { name: p.column, type: typed.type, nullable: typed.nullable }] : null;
    return { schema, diagnostics, typed };
  },
};

/** An expression error as a diagnostic on the node's "expression" field. */
export function fromExprError(nodeId: string, e: ExprError): Diagnostic {
  return diag(e.code, e.message, { nodeId, field: "expression", range: e.range, ...(e.hint ? { hint: e.hint } : {}) });
}
