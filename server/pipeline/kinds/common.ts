// Checks shared by several node kinds: column lists against a schema, Python UDF source, and
// compute settings (tasks vs actor pool, batch size).
import { diag, type Diagnostic } from "../diagnostics";
import { checkUdfSourceSize } from "../limits";
import type { Compute } from "../schema";
import { clip, didYouMean } from "../suggest";
import type { Schema } from "../types";
import { lookup, type AnalyzeContext } from "./spec";

/** A list with thousands of bad entries shows the first ones; more would only flood the node. */
export const MAX_LIST_PROBLEMS = 50;

/**
 * Checks a list of column names: empty names, unknown columns (with a did-you-mean hint) when the
 * schema is known, and repeats. `field(i)` names the form field of entry i.
 * Example: checkColumnList("drop", ["reviw_body"], REVIEWS_SCHEMA, (i) => `columns.${i}`)
 *   -> [E_COLUMN_UNKNOWN "Unknown column 'reviw_body'", hint "Did you mean 'review_body'?"]
 */
export function checkColumnList(
  nodeId: string,
  names: readonly string[],
  schema: Schema | null,
  field: (i: number) => string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = schema ? new Set(schema.map((c) => c.name)) : null;
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (out.length >= MAX_LIST_PROBLEMS) return;
    if (name.trim() === "") {
      out.push(diag("E_COLUMN_NAME_EMPTY", `Entry ${i + 1} has no column name`, { nodeId, field: field(i) }));
    } else if (seen.has(name)) {
      out.push(diag("E_COLUMN_DUPLICATE", `Column '${clip(name)}' is listed twice`, { nodeId, field: field(i) }));
    } else if (known && !known.has(name)) {
      const hint = didYouMean(name, known);
      out.push(diag("E_COLUMN_UNKNOWN", `Unknown column '${clip(name)}'`, { nodeId, field: field(i), ...(hint ? { hint } : {}) }));
    }
    seen.add(name);
  });
  return out;
}

/**
 * Checks Python UDF source: not empty, defines `def <fn>(` at the start of a line, and has no
 * syntax error according to the server-side check in ctx.python.
 * Example: checkPythonSource("keep", "x = 1", "keep", "E_UDF_NO_KEEP", {}) -> [E_UDF_NO_KEEP]
 */
export function checkPythonSource(
  nodeId: string,
  source: string,
  fn: "keep" | "compute",
  missingCode: "E_UDF_NO_KEEP" | "E_UDF_NO_COMPUTE",
  ctx: AnalyzeContext,
): Diagnostic[] {
  if (source.trim() === "") {
    return [diag("E_UDF_EMPTY", "The Python source is empty", { nodeId, field: "source", hint: `Define ${fn}(batch)` })];
  }
  const out: Diagnostic[] = [...checkUdfSourceSize(nodeId, source)];
  const check = lookup(ctx.python, nodeId);
  if (check && !check.ok) {
    out.push(diag("E_PY_SYNTAX", `Python syntax error on line ${check.line}: ${check.message}`, { nodeId, field: "source", line: check.line }));
  }
  if (!new RegExp(`^def\\s+${fn}\\s*\\(`, "m").test(source)) {
    const returns = fn === "keep" ? "a boolean mask (or the rows to keep)" : "a pandas Series with the new column";
    out.push(diag(missingCode, `The source does not define ${fn}(batch)`, {
      nodeId, field: "source", hint: `Add a top-level 'def ${fn}(batch):' that takes a pandas DataFrame and returns ${returns}`,
    }));
  }
  return out;
}

/**
 * Checks how a UDF runs: an actor pool needs 1 <= minSize <= maxSize; batchSize, if set, is positive.
 * Example: checkCompute("flag", { strategy: "actors", minSize: 0, maxSize: 2 }, null) -> [E_COMPUTE_INVALID]
 */
export function checkCompute(nodeId: string, compute: Compute, batchSize: number | null): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (compute.strategy === "actors") {
    if (compute.minSize < 1) {
      out.push(diag("E_COMPUTE_INVALID", `The actor pool needs at least 1 actor, got minimum ${compute.minSize}`, { nodeId, field: "compute" }));
    } else if (compute.maxSize < compute.minSize) {
      out.push(diag("E_COMPUTE_INVALID", `The actor pool maximum (${compute.maxSize}) is below its minimum (${compute.minSize})`, { nodeId, field: "compute" }));
    }
  }
  if (batchSize !== null && batchSize <= 0) {
    out.push(diag("E_COMPUTE_INVALID", `Batch size must be positive, got ${batchSize}`, {
      nodeId, field: "batchSize", hint: "Leave it empty to let Ray choose",
    }));
  }
  return out;
}

/** Is `p` an S3 URI (s3:// or s3a://)? Example: isS3Path("s3://bucket/x") === true */
export const isS3Path = (p: string): boolean => /^s3a?:\/\//i.test(p.trim());

/**
 * Checks a source's or sink's S3 connection: it only applies to s3:// paths, and must name an
 * existing connection when the server says which exist (ctx.connections).
 * Example: checkConnection("read", "data/x", "lake", {}) -> [E_CONNECTION_NOT_S3]
 */
export function checkConnection(nodeId: string, path: string, connection: string | undefined, ctx: AnalyzeContext): Diagnostic[] {
  if (connection === undefined || connection === "") return [];
  if (!isS3Path(path) && path.trim() !== "") {
    return [diag("E_CONNECTION_NOT_S3", `Connection '${clip(connection)}' applies only to s3:// paths`, {
      nodeId, field: "connection", hint: "Use an s3://bucket/prefix path, or clear the connection for a local path",
    })];
  }
  if (ctx.connections !== undefined && !ctx.connections.includes(connection)) {
    return [diag("E_CONNECTION_UNKNOWN", `There is no S3 connection named '${clip(connection)}'`, {
      nodeId, field: "connection", hint: "Create it on the Connections page, or pick another",
    })];
  }
  return [];
}

/** "tasks" or "actor pool 1-4", for summaries. */
export function describeCompute(compute: Compute): string {
  return compute.strategy === "actors" ? `actor pool ${compute.minSize}-${compute.maxSize}` : "tasks";
}

/** Shortens a summary to one canvas line. */
export function oneLine(text: string, max = 80): string {
  return clip(text.replace(/\s+/g, " ").trim(), max);
}
