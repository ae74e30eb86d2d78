// Public API of the pipeline core. Isomorphic: imported by the canvas, the server, the
// compiler and the CLI alike; depends on nothing but zod.
export * from "./schema";
export * from "./types";
export * from "./diagnostics";
export { parseDocument, type ParseResult } from "./parse-document";
export { serializeDocument } from "./serialize";
export { migrate, MIGRATIONS, type MigrationResult, type Upgrader } from "./migrations";
export { analyze, type Analysis } from "./analyze";
export { analyzeGraph, type GraphAnalysis } from "./graph";
export { checkWritePathConflicts, normalizePath } from "./write-conflicts";
export { checkNodeIds } from "./node-ids";
export { locateJsonError, type JsonErrorLocation } from "./json-locate";
export { KINDS, nodeOutput, nodeSummary, type AnalyzeContext, type KindResult, type NodeKindSpec, type PythonCheck } from "./kinds";
export * from "./expr";
export { closestName, didYouMean } from "./suggest";
export { PIPELINE_LIMITS, checkDocumentBytes, checkPipelineCounts, checkUdfSourceSize, formatBytes, utf8Length } from "./limits";
