// Size limits of a pipeline, in one place, and the checks that report them as diagnostics.
// A pipeline runs arbitrary Python on the cluster and is analysed on every keystroke, so its
// size is bounded; the limits are constants (not settings) because the canvas, the CLI and the
// server must all give the same answer for the same document.
import { diag, type Diagnostic } from "./diagnostics";

export const PIPELINE_LIMITS = {
  /** Nodes in one pipeline. The canvas stays usable well past this; the compiler is linear. */
  maxNodes: 10_000,
  /** Edges in one pipeline (a transform has one input, so real pipelines have about as many edges as nodes). */
  maxEdges: 20_000,
  /** The document as saved (canonical JSON, UTF-8). */
  maxDocumentBytes: 5_000_000,
  /** One Python UDF's source (UTF-8). Ship big lookup tables as data, not as code. */
  maxUdfSourceBytes: 200_000,
} as const;

/** UTF-8 length of a string without allocating its encoding. Example: utf8Length("é") === 2 */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Is `text` longer than `max` UTF-8 bytes? Cheap for the common cases: bytes >= code units <= bytes / 3. */
export function exceedsBytes(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return utf8Length(text) > max;
}

/** "5 MB", "200 kB", "950 bytes" (decimal units, as file managers show them). */
export function formatBytes(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1_000) return `${+(n / 1_000).toFixed(1)} kB`;
  return `${n} bytes`;
}

/** "is 5.2 MB; the limit is 5 MB" — in bytes when rounding would make both sides read the same. */
function overBy(size: number, max: number): string {
  const [a, b] = [formatBytes(size), formatBytes(max)];
  return a === b ? `is ${size} bytes; the limit is ${max} bytes` : `is ${a}; the limit is ${b}`;
}

/**
 * E_PIPELINE_TOO_LARGE when a document has more nodes or edges than the limits allow.
 * Example: checkPipelineCounts(12_000, 3) -> [E_PIPELINE_TOO_LARGE "The pipeline has 12000 nodes; the limit is 10000"]
 */
export function checkPipelineCounts(nodes: number, edges: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const hint = "Split it into several pipelines";
  if (nodes > PIPELINE_LIMITS.maxNodes) {
    out.push(diag("E_PIPELINE_TOO_LARGE", `The pipeline has ${nodes} nodes; the limit is ${PIPELINE_LIMITS.maxNodes}`, { hint }));
  }
  if (edges > PIPELINE_LIMITS.maxEdges) {
    out.push(diag("E_PIPELINE_TOO_LARGE", `The pipeline has ${edges} edges; the limit is ${PIPELINE_LIMITS.maxEdges}`, { hint }));
  }
  return out;
}

/**
 * E_PIPELINE_TOO_LARGE when a document's text is over the size limit.
 * Example: checkDocumentBytes("x".repeat(6_000_000)) -> [E_PIPELINE_TOO_LARGE "The pipeline is 6 MB; the limit is 5 MB"]
 */
export function checkDocumentBytes(text: string): Diagnostic[] {
  if (!exceedsBytes(text, PIPELINE_LIMITS.maxDocumentBytes)) return [];
  return [diag("E_PIPELINE_TOO_LARGE", `The pipeline ${overBy(utf8Length(text), PIPELINE_LIMITS.maxDocumentBytes)}`, {
    hint: "Move large UDF code or data out of the pipeline, or split it into several pipelines",
  })];
}

/**
 * E_UDF_TOO_LARGE on a UDF node whose Python source is over the limit.
 * Example: checkUdfSourceSize("keep", "#".repeat(300_000)) -> [E_UDF_TOO_LARGE on "keep", field "source"]
 */
export function checkUdfSourceSize(nodeId: string, source: string): Diagnostic[] {
  if (!exceedsBytes(source, PIPELINE_LIMITS.maxUdfSourceBytes)) return [];
  return [diag("E_UDF_TOO_LARGE", `The Python source ${overBy(utf8Length(source), PIPELINE_LIMITS.maxUdfSourceBytes)}`, {
    nodeId, field: "source", hint: "Load large tables from a file the job reads instead of pasting them into the code",
  })];
}
