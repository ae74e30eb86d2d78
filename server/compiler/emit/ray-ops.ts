// One commented block of Ray Data code per IR op, inside `def build(run):`. Every user value
// goes through the literal encoder; variables are `ds_<nodeId>` (ids are Python identifiers).
import type { Compute } from "../../pipeline/schema";
import { assertNever, type Op, type OpKind, type PythonColumnOp, type UdfFilterOp } from "../ir";
import { PUSHDOWN_NOTE } from "../passes/projection-pushdown";
import { printExpr } from "../../pipeline/expr/printer";
import { emitExpr } from "./expr-emit";
import { pyBool, pyComment, pyInt, pyNone, pyStr } from "./python-literal";
import { LINE_WIDTH, type PythonWriter } from "./python-writer";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The Python variable holding a node's dataset; throws if the id is not an identifier. Example: dsVar("sort") === "ds_sort" */
export function dsVar(nodeId: string): string {
  if (!IDENTIFIER.test(nodeId)) throw new Error(`emit: node id ${JSON.stringify(nodeId)} is not a Python identifier`);
  return "ds_" + nodeId;
}

/** The pipeline node kind each op kind came from (what the canvas and PLAN.nodes call it). */
const NODE_KIND: { readonly [K in OpKind]: string } = {
  read: "read-parquet",
  "with-column": "add-column",
  "python-column": "add-column",
  drop: "drop-columns",
  sort: "sort",
  "udf-filter": "udf-filter",
  write: "write",
};

/** Example: nodeKindOf(sortOp) === "sort"; nodeKindOf(withColumnOp) === "add-column" */
export const nodeKindOf = (op: Op): string => NODE_KIND[op.kind];

const label = (op: Op) => (op.label ? ` '${pyComment(op.label)}'` : "");
const names = (cols: readonly string[]) => cols.map(pyComment).join(", ");
const notes = (op: Op) => (op.notes.length ? ` (${op.notes.map(pyComment).join("; ")})` : "");
const computeText = (c: Compute) => (c.strategy === "actors" ? `on an actor pool (${c.minSize}..${c.maxSize})` : "on tasks");

/**
 * The `# [id] kind summary` line that opens an op's block.
 * Example: opComment(sortOp) === "# [sort] sort by total_votes desc (nulls last)"
 */
export function opComment(op: Op): string {
  const kind = op.kind === "python-column" ? "add-column python" : nodeKindOf(op);
  const head = `# [${op.nodeId}] ${kind}${label(op)}`;
  // Switches (not visitor objects) on the hot path: no closures per op; `never` keeps them exhaustive.
  switch (op.kind) {
    case "read": return `${head} from ${pyComment(op.path)}${op.connection ? ` (connection ${pyComment(op.connection)})` : ""}`;
    case "with-column": return `${head} ${pyComment(op.column)} = ${pyComment(printExpr(op.expr.expr))}${notes(op)}`;
    case "python-column": return `${head} ${pyComment(op.column)}: ${op.outputType} ${computeText(op.compute)}${notes(op)}`;
    case "drop": {
      // Pushdown notes on a drop already carry their reason in parentheses: append them plainly.
      const what = op.columns.length === 0 ? `${head}: ` : `${head} ${names(op.columns)}${op.notes.length ? "; " : ""}`;
      return what + op.notes.map(pyComment).join("; ");
    }
    case "sort": return `${head} by ${op.keys.map((k) => `${pyComment(k.column)} ${k.descending ? "desc" : "asc"}`).join(", ")} (nulls last)${notes(op)}`;
    case "udf-filter": return `${head} ${computeText(op.compute)}${notes(op)}`;
    case "write": return `${head} ${op.format} to ${pyComment(op.path)} (mode ${op.mode}, staged then committed)${notes(op)}`;
    default: return assertNever(op);
  }
}

/**
 * Write one op's block (comment line + code) at the writer's current indentation.
 * `sourceConst` names the module-level constant holding a UDF's source; `reader` is the
 * function a read calls with the same arguments (a preview passes its sampler).
 * Example: emitOp(w, sortOp, () => "") writes
 *   # [sort] sort by total_votes desc (nulls last)
 *   ds_sort = ds_keep.sort(["total_votes"], descending=[True])
 */
export function emitOp(w: PythonWriter, op: Op, sourceConst: (nodeId: string) => string, reader = "ray.data.read_parquet"): void {
  w.line(opComment(op));
  const out = op.kind === "write" ? "" : dsVar(op.nodeId);
  const input = op.input === null ? "" : dsVar(op.input);
  switch (op.kind) {
    case "read":
      // A connection is named, never spelled out: the job's env carries its settings (rt.filesystem).
      w.call(`${out} = ${reader}(`, [
        `rt.path(${pyStr(op.path)})`,
        ...(op.connection ? [`filesystem=rt.filesystem(${pyStr(op.connection)})`] : []),
        `partitioning=Partitioning(${pyStr(op.partitioning)})`,
      ]);
      if (op.columns !== null) {
        const why = op.notes.includes(PUSHDOWN_NOTE) ? `  # ${PUSHDOWN_NOTE}` : "  # columns chosen on the node";
        hugList(w, `${out} = ${out}.select_columns([`, op.columns.map(pyStr), `])${why}`);
      }
      return;
    case "with-column":
      w.call(`${out} = ${input}.with_column(`, [pyStr(op.column), emitExpr(op.expr)]);
      return;
    case "python-column":
    case "udf-filter":
      mapBatches(w, out, input, op, sourceConst(op.nodeId));
      return;
    case "drop":
      if (op.columns.length === 0) w.line(`${out} = ${input}`);
      else hugList(w, `${out} = ${input}.drop_columns([`, op.columns.map(pyStr), "])");
      return;
    case "sort":
      w.call(`${out} = ${input}.sort(`, [
        "[" + op.keys.map((k) => pyStr(k.column)).join(", ") + "]",
        "descending=[" + op.keys.map((k) => pyBool(k.descending)).join(", ") + "]",
      ]);
      return;
    case "write":
      w.call("run.write(", [
        input, `node=${pyStr(op.nodeId)}`, `path=rt.path(${pyStr(op.path)})`, `format=${pyStr(op.format)}`, `mode=${pyStr(op.mode)}`,
        ...(op.connection ? [`connection=${pyStr(op.connection)}`] : []),
      ]);
      return;
    default:
      assertNever(op);
  }
}

/**
 * map_batches over pandas batches, as plain tasks or on an autoscaling actor pool. The runtime
 * returns a wrapper named after the node (`udf_filter__keep`, `AddColumnActor__flag`), so the
 * Ray operator names it prints map back to graph nodes even with several UDFs of one kind.
 */
function mapBatches(w: PythonWriter, out: string, input: string, o: PythonColumnOp | UdfFilterOp, source: string): void {
  const node = pyStr(o.nodeId);
  const actors = o.compute.strategy === "actors";
  const compute = `compute=${pyStr(o.compute.strategy)}`;
  const udf = o.kind === "python-column"
    ? `rt.add_column_python(${[node, pyStr(o.column), source, pyStr(o.outputType), compute].join(", ")})`
    : `rt.udf_filter(${[node, source, compute].join(", ")})`;
  const args = [udf, `batch_format="pandas"`, `batch_size=${o.batchSize === null ? pyNone() : pyInt(o.batchSize)}`];
  if (actors) args.push(`compute=ActorPoolStrategy(min_size=${pyInt(o.compute.minSize)}, max_size=${pyInt(o.compute.maxSize)})`);
  // An added column keeps the row count; telling Ray lets it push limits (previews) through.
  if (o.kind === "python-column") args.push("udf_modifying_row_count=False");
  w.call(`${out} = ${input}.map_batches(`, args);
}

/**
 * `head item, item tail` on one line when it fits, else the items packed several per line
 * between `head` and `tail` (a long column list stays compact and readable).
 */
function hugList(w: PythonWriter, head: string, items: readonly string[], tail: string): void {
  const one = head + items.join(", ") + tail;
  if (w.indent.length + one.length <= LINE_WIDTH) {
    w.line(one);
    return;
  }
  w.line(head);
  w.indented(() => {
    let cur = "";
    for (const item of items) {
      const next = cur === "" ? item + "," : cur + " " + item + ",";
      if (cur !== "" && w.indent.length + next.length > LINE_WIDTH) {
        w.line(cur);
        cur = item + ",";
      } else cur = next;
    }
    if (cur !== "") w.line(cur);
  });
  w.line(tail);
}
