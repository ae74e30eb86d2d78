// Every diagnostic code the product can report, in one place. Codes are stable: tests, the
// canvas and users' scripts depend on them. Add new codes at the end of their group.

export const DIAGNOSTIC_CODES = {
  // document
  E_JSON_MALFORMED: "The file is not valid JSON",
  E_SCHEMA_VERSION: "Unsupported schemaVersion",
  E_DOC_INVALID: "The document does not match the pipeline schema",
  E_NODE_KIND_UNKNOWN: "Unknown node kind",
  E_NODE_ID_INVALID: "Invalid node id",
  E_NODE_ID_DUPLICATE: "Two nodes share an id",
  E_PARAMS_INVALID: "Invalid node settings",
  E_PIPELINE_TOO_LARGE: "The pipeline is over the size limit",
  // graph
  E_EDGE_DANGLING: "Edge points at a node that does not exist",
  E_EDGE_SELF: "Edge connects a node to itself",
  E_EDGE_DUPLICATE: "Duplicate edge",
  E_CYCLE: "The graph has a cycle",
  E_INPUT_MISSING: "Transform has no input",
  E_INPUT_MULTIPLE: "Transform has more than one input",
  E_SOURCE_HAS_INPUT: "A source cannot have an input",
  E_SINK_HAS_OUTPUT: "A sink cannot feed other nodes",
  E_NO_SOURCE: "The pipeline has no source",
  E_NO_SINK: "The pipeline has no sink",
  W_NODE_UNUSED: "Node does not lead to any sink",
  // sources and sinks
  E_PATH_MISSING: "Path is empty",
  E_SOURCE_NOT_FOUND: "Source path does not exist",
  E_SOURCE_UNREADABLE: "Source could not be read as parquet",
  E_WRITE_PATH_CONFLICT: "Two writes target the same path, or a write targets a source",
  E_READ_COLUMNS_EMPTY: "No columns selected to read",
  E_CONNECTION_NOT_S3: "A connection applies only to s3:// paths",
  E_CONNECTION_UNKNOWN: "No S3 connection has that name",
  // columns
  E_COLUMN_UNKNOWN: "Unknown column",
  E_COLUMN_EXISTS: "Column already exists",
  E_COLUMN_NAME_EMPTY: "Column name is empty",
  E_COLUMN_DUPLICATE: "Column listed twice",
  E_DROP_ALL: "Dropping every column leaves nothing",
  E_DROP_EMPTY: "No columns to drop",
  E_SORT_NO_KEYS: "Sort has no keys",
  E_SORT_KEY_UNSORTABLE: "Column type cannot be sorted",
  // expressions
  E_EXPR_EMPTY: "Expression is empty",
  E_EXPR_PARSE: "Expression syntax error",
  E_EXPR_TYPE: "Expression type error",
  E_EXPR_FUNCTION_UNKNOWN: "Unknown function",
  E_EXPR_ARITY: "Wrong number of arguments",
  // python
  E_PY_SYNTAX: "Python syntax error",
  E_UDF_NO_KEEP: "UDF does not define keep(batch)",
  E_UDF_NO_COMPUTE: "Python column does not define compute(batch)",
  E_UDF_EMPTY: "Python source is empty",
  E_COMPUTE_INVALID: "Invalid compute settings",
  E_UDF_TOO_LARGE: "Python source is over the size limit",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
export type Severity = "error" | "warning";

/**
 * A mistake in a user's pipeline, as data. `nodeId` pins it to a node on the canvas; `field`
 * names the form field (e.g. "expression", "columns.2"); `range` is a [start, end) character
 * range inside that field for expressions, or `line` for Python source.
 * Example: { code: "E_COLUMN_UNKNOWN", severity: "error", nodeId: "drop", field: "columns.0",
 *            message: "Unknown column 'reviw_body'", hint: "Did you mean 'review_body'?" }
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly nodeId?: string;
  readonly field?: string;
  readonly range?: readonly [number, number];
  readonly line?: number;
  readonly hint?: string;
}

export function diag(
  code: DiagnosticCode,
  message: string,
  extra: Omit<Diagnostic, "code" | "message" | "severity"> & { severity?: Severity } = {},
): Diagnostic {
  return { code, severity: extra.severity ?? (code.startsWith("W_") ? "warning" : "error"), message, ...extra };
}

export const hasErrors = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === "error");
