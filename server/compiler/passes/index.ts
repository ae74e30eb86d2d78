// The optimisation passes, applied in order by a tiny loop (Ray Data's rule style), plus
// explain(): a plain-text dump of an IR for tests and debugging.
//
// Not here on purpose: fusing consecutive expression nodes. Ray already fuses consecutive
// with_column/drop_columns projections into one operator, and keeping one Ray call per node
// keeps the source map and per-node progress exact.
import type { Compute } from "../../pipeline/schema";
import { checkIr, freezeIr, visitOp, type Ir, type Op } from "../ir";
import { projectionPushdown } from "./projection-pushdown";
import { hoistFilters } from "./hoist-filters";

export interface Pass {
  readonly name: string;
  readonly run: (ir: Ir) => Ir;
}

/** The passes in the order they run. Pushdown last: it sees the final op order. */
export const PASSES: readonly Pass[] = [
  { name: "hoist-filters", run: hoistFilters },
  { name: "projection-pushdown", run: projectionPushdown },
];

/**
 * Run passes in order; each returns a new, frozen, structurally valid IR.
 * Example: runPasses(lower(doc, analysis))
 */
export function runPasses(ir: Ir, passes: readonly Pass[] = PASSES): Ir {
  let cur = ir;
  for (const p of passes) {
    cur = p.run(cur);
    checkIr(cur);
    freezeIr(cur);
  }
  return cur;
}

/**
 * One line per op: `id <- input: kind details  # notes`, in op order.
 * Example: explain(ir) === "read: read data/reviews [all columns]\nout <- read: write parquet ..."
 */
export function explain(ir: Ir): string {
  return ir.ops.map(explainOp).join("\n");
}

const list = (xs: readonly string[]) => "[" + xs.join(", ") + "]";

function explainOp(op: Op): string {
  const head = op.input === null ? op.nodeId : `${op.nodeId} <- ${op.input}`;
  const body = visitOp<string>(op, {
    read: (o) => `read ${o.path} ${o.columns === null ? "[all columns]" : list(o.columns)}`,
    "with-column": (o) => `with-column ${o.column} = ${o.text} (reads ${list(o.expr.columns)})`,
    "python-column": (o) => `python-column ${o.column}: ${o.outputType} on ${computeText(o.compute)}`,
    drop: (o) => `drop ${list(o.columns)}`,
    sort: (o) => `sort ${list(o.keys.map((k) => `${k.column} ${k.descending ? "desc" : "asc"}`))}`,
    "udf-filter": (o) => `udf-filter on ${computeText(o.compute)}`,
    write: (o) => `write ${o.format} ${o.path} mode=${o.mode}`,
  });
  const notes = op.notes.length ? `  # ${op.notes.join("; ")}` : "";
  return `${head}: ${body}${notes}`;
}

function computeText(c: Compute): string {
  return c.strategy === "actors" ? `actors(${c.minSize}..${c.maxSize})` : "tasks";
}
