// Column types and schemas as the pipeline sees them. Isomorphic: shared by canvas, server,
// compiler and CLI. Types follow Arrow names so what the preview shows matches the job.

/** A column's logical type, named after the Arrow type it maps to. */
export type DataType =
  | "bool"
  | "int8" | "int16" | "int32" | "int64"
  | "uint8" | "uint16" | "uint32" | "uint64"
  | "float32" | "float64"
  | "string" | "binary"
  | "date32" | "timestamp"
  | "decimal" | "list" | "struct" | "null" | "unknown";

export const INTEGER_TYPES: readonly DataType[] = [
  "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
];
export const FLOAT_TYPES: readonly DataType[] = ["float32", "float64"];
export const isInteger = (t: DataType) => INTEGER_TYPES.includes(t);
export const isFloat = (t: DataType) => FLOAT_TYPES.includes(t) || t === "decimal";
export const isNumeric = (t: DataType) => isInteger(t) || isFloat(t);

/** Types a user may declare for a Python add-column, or cast to in an expression. */
export const DECLARABLE_TYPES = ["bool", "int64", "float64", "string", "date32", "timestamp"] as const;
export type DeclarableType = (typeof DECLARABLE_TYPES)[number];

/** One column of a schema flowing along an edge. */
export interface Column {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

/** The schema flowing out of a node: ordered columns. */
export type Schema = readonly Column[];

/**
 * What the server knows about a source before reading any data (parquet footers).
 * Passed into validation / propagation / compile so those stay pure.
 * Example: { path: "data/reviews", schema: [...], numRows: 100000, sizeBytes: 123, files: 12, partitions: ["product_category"] }
 */
export interface SourceInfo {
  readonly path: string;
  readonly schema: Schema;
  readonly numRows: number | null;
  readonly sizeBytes: number | null;
  readonly files: number | null;
  /** hive partition keys, e.g. ["product_category"] */
  readonly partitionKeys: readonly string[];
}

/** Result of looking up a source: its info, or an error code + message (missing path, not parquet...). */
export type SourceLookup =
  | { readonly ok: true; readonly info: SourceInfo }
  | { readonly ok: false; readonly code: "E_SOURCE_NOT_FOUND" | "E_SOURCE_UNREADABLE"; readonly message: string };
