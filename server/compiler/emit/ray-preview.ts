// Emits a preview MODULE (not a script): the same per-node blocks as the pipeline's script for
// every node up to the previewed one, inside `def build_preview(read_sample)`, with the read
// calling `read_sample` instead of `ray.data.read_parquet` and no write: it returns the dataset.
import type { Ir, Op } from "../ir";
import { dsVar, emitOp, nodeKindOf } from "./ray-ops";
import { imports, RUNTIME_VERSION, sourceConstNames, userCode, type EmitResult } from "./ray";
import { pyBool, pyComment, pyStr } from "./python-literal";
import { PythonWriter, wrapDict } from "./python-writer";

/** The function a preview module's read calls: `read_sample(path, partitioning=...)`. */
export const PREVIEW_READER = "read_sample";

/**
 * The preview module for an IR whose only write is the synthetic preview sink: every op but
 * that write, returning the sink's input. `nodeId` is the node the user previews.
 * Example: emitPreviewModule(ir, "keep").python contains "def build_preview(read_sample):"
 */
export function emitPreviewModule(ir: Ir, nodeId: string): EmitResult {
  const sinks = ir.ops.filter((o) => o.kind === "write");
  if (sinks.length !== 1 || sinks[0].input === null) throw new Error("emitPreviewModule: the IR must have exactly one write (the preview sink)");
  const sink = sinks[0];
  const ops = ir.ops.filter((o) => o !== sink);
  const udfs = ops.filter((o) => o.kind === "python-column" || o.kind === "udf-filter");
  const consts = sourceConstNames(udfs.map((o) => o.nodeId));
  const sourceConst = (id: string) => {
    const name = consts.get(id);
    if (name === undefined) throw new Error(`emit: no source constant for ${id}`);
    return name;
  };

  const w = new PythonWriter();
  w.line(`# Preview of node '${pyComment(nodeId)}' of pipeline '${pyComment(ir.pipelineId)}' ("${pyComment(ir.pipelineName)}"), by ray-etl-designer.`);
  w.line(`# The pipeline script's code for every node up to it (etl_runtime ${RUNTIME_VERSION}), except that the`);
  w.line("# read takes a sample of the source (read_sample) and nothing is written: build_preview returns");
  w.line("# the dataset after the node, which the preview worker runs on the sample.");
  imports(w, ops);
  w.blank();
  w.line(`rt.require_runtime(${pyStr(RUNTIME_VERSION)})`);
  userCode(w, udfs, sourceConst);

  w.blank().line();
  const nodes = ops.map((o) => `${pyStr(o.nodeId)}: ${pyStr(nodeKindOf(o))}`);
  w.line("# node id -> kind, in the order the code below runs them (maps Ray operators to nodes)");
  w.line(`NODES = ${wrapDict(nodes)}`);
  const sorts = ops.some((o: Op) => o.kind === "sort");
  w.line(`PRESERVE_ORDER = ${pyBool(sorts)}${sorts ? "  # a sort feeds the preview" : ""}`);

  w.blank().line();
  w.line(`def build_preview(${PREVIEW_READER}):`);
  w.indented(() => {
    for (const op of ops) w.span(op.nodeId, () => emitOp(w, op, sourceConst, PREVIEW_READER));
    w.line(`return ${dsVar(sink.input!)}`);
  });
  return { python: w.text(), sourceMap: w.ranges() };
}
