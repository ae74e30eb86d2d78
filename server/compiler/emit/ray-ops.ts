// One commented block of Ray Data code per IR op, inside `def build(run):`. Every user value
// goes through the literal encoder; variables are `ds_<nodeId>` (ids are Python identifiers).
import type { Compute } from "../../pipeline/schema";
import { visitOp, type Op, type PythonColumnOp, type UdfFilterOp } from "../ir";
import { PUSHDOWN_NOTE } from "../passes/projection-pushdown";
import { printExpr } from "../../pipeline/expr/printer";
import { emitExpr } from "./expr-emit";
import { pyBool, pyComment, pyInt, pyNone, pyStr, pyTuple } from "./python-literal";
import { LINE_WIDTH, type PythonWriter } from "./python-writer";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The Python variable holding a node's dataset. Throws if the id is not an identifier. */
export function dsVar(nodeId: string): string {
  if (!IDENTIFIER.test(nodeId)) throw new Error(`emit: node id ${JSON.stringify(nodeId)} is not a Python identifier`);
  return "ds_" + nodeId;
}

/** The pipeline node kind an op came from (what the canvas and PLAN.nodes call it). */
export function nodeKindOf(op: Op): string {
  return visitOp<string>(op, {
    read: () => "read-parquet",
    "with-column": () => "add-column",
    "python-column": () => "add-column",
    drop: () => "drop-columns",
    sort: () => "sort",
    "udf-filter": () => "udf-filter",
    write: () => "write",
  });
}

const label = (op: Op) => (op.label ? ` '${pyComment(op.label)}'` : "");
const names = (cols: readonly string[]) => cols.map(pyComment).join(", ");
const notes = (op: Op, skip: (n: string) => boolean = () => false) => {
  const shown = op.notes.filter((n) => !skip(n));
  return shown.length ? ` (${shown.map(pyComment).join("; ")})` : "";
};
const computeText = (c: Compute) => (c.strategy === "actors" ? `on an actor pool (${c.minSize}..${c.maxSize})` : "on tasks");

/** The `# [id] kind summary` line that opens an op's block. */
export function opComment(op: Op): string {
  const head = `# [${op.nodeId}] ${nodeKindOf(op)}${label(op)}`;
  return visitOp<string>(op, {
    read: (o) => `${head} from ${pyComment(o.path)}`,
    "with-column": (o) => `${head} ${pyComment(o.column)} = ${pyComment(printExpr(o.expr.expr))}${notes(o)}`,
    "python-column": (o) => `${head} python ${pyComment(o.column)}: ${o.outputType} ${computeText(o.compute)}${notes(o)}`,
    drop: (o) => (o.columns.length === 0 ? `${head}: ${o.notes.map(pyComment).join("; ")}` : `${head} ${names(o.columns)}${notes(o)}`),
    sort: (o) => `${head} by ${o.keys.map((k) => `${pyComment(k.column)} ${k.descending ? "desc" : "asc"}`).join(", ")} (nulls last)${notes(o)}`,
    "udf-filter": (o) => `${head} ${computeText(o.compute)}${notes(o)}`,
    write: (o) => `${head} ${o.format} to ${pyComment(o.path)} (mode ${o.mode}, staged then committed)${notes(o)}`,
  });
}

/**
 * Write one op's block (comment line + code) at the writer's current indentation.
 * `sourceConst` names the module-level constant holding a UDF's source.
 * Example: emitOp(w, sortOp, () => "") writes
 *   # [sort] sort by total_votes desc (nulls last)
 *   ds_sort = ds_keep.sort(["total_votes"], descending=[True])
 */
export function emitOp(w: PythonWriter, op: Op, sourceConst: (nodeId: string) => string): void {
  w.line(opComment(op));
  const out = op.kind === "write" ? "" : dsVar(op.nodeId);
  const input = op.input === null ? "" : dsVar(op.input);
  visitOp<void>(op, {
    read: (o) => {
      w.call(`${out} = ray.data.read_parquet(`, [`rt.path(${pyStr(o.path)})`, `partitioning=Partitioning(${pyStr(o.partitioning)})`]);
      if (o.columns !== null) {
        const why = o.notes.includes(PUSHDOWN_NOTE) ? `  # ${PUSHDOWN_NOTE}` : "  # columns chosen on the node";
        hugList(w, `${out} = ${out}.select_columns([`, o.columns.map(pyStr), `])${why}`);
      }
    },
    "with-column": (o) => w.call(`${out} = ${input}.with_column(`, [pyStr(o.column), emitExpr(o.expr)]),
    "python-column": (o) => mapBatches(w, out, input, o, sourceConst(o.nodeId)),
    drop: (o) => {
      if (o.columns.length === 0) w.line(`${out} = ${input}`);
      else hugList(w, `${out} = ${input}.drop_columns([`, o.columns.map(pyStr), "])");
    },
    sort: (o) =>
      w.call(`${out} = ${input}.sort(`, [
        "[" + o.keys.map((k) => pyStr(k.column)).join(", ") + "]",
        "descending=[" + o.keys.map((k) => pyBool(k.descending)).join(", ") + "]",
      ]),
    "udf-filter": (o) => mapBatches(w, out, input, o, sourceConst(o.nodeId)),
    write: (o) =>
      w.call("run.write(", [
        input,
        `node=${pyStr(o.nodeId)}`,
        `path=rt.path(${pyStr(o.path)})`,
        `format=${pyStr(o.format)}`,
        `mode=${pyStr(o.mode)}`,
      ]),
  });
}

/** map_batches over pandas batches, as plain tasks or on an autoscaling actor pool. */
function mapBatches(w: PythonWriter, out: string, input: string, o: PythonColumnOp | UdfFilterOp, source: string): void {
  const node = pyStr(o.nodeId);
  const ctorArgs = o.kind === "python-column" ? [node, pyStr(o.column), source, pyStr(o.outputType)] : [node, source];
  const actors = o.compute.strategy === "actors";
  const fn = actors
    ? [o.kind === "python-column" ? "rt.AddColumnActor" : "rt.UdfFilterActor", `fn_constructor_args=${pyTuple(ctorArgs)}`]
    : [o.kind === "python-column" ? `rt.add_column_python(${ctorArgs.join(", ")})` : `rt.udf_filter(${ctorArgs.join(", ")}, compute="tasks")`];
  const args = [...fn, `batch_format="pandas"`, `batch_size=${o.batchSize === null ? pyNone() : pyInt(o.batchSize)}`];
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
