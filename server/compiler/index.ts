// Public API of the compiler: pipeline document -> IR -> passes -> Ray Data Python script.
export { compile, type CompileContext, type CompileResult } from "./compile";
export { explain, runPasses, PASSES, type Pass } from "./passes";
export { lower, type AnalysisFacts } from "./lower";
export { emitRay, RUNTIME_VERSION, type SourceMap, type EmitResult } from "./emit/ray";
export { RUNTIME_FN_NAMES } from "./emit/expr-emit";
export type { LineRange } from "./emit/python-writer";
export type { Ir, Op, OpKind } from "./ir";
export { compilePreview, previewSubgraph, PREVIEW_SINK_PATH, type PreviewCompileResult, type PreviewSubgraph } from "./preview";
