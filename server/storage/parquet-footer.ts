// Reads one parquet file's footer (and nothing else) and maps its schema to our DataTypes.
// Footer summaries are cached by (path, size, mtime) so repeated inspections skip the disk.
import { promises as fs } from "node:fs";
import { parquetMetadata, parquetSchema, type FileMetaData, type SchemaElement, type SchemaTree } from "hyparquet";
import type { Column, DataType, Schema } from "../pipeline/types";
import type { DatasetFile } from "./file-listing";
import { Lru } from "./lru";

/** What inspection needs from one footer. */
export interface FooterSummary {
  readonly numRows: number;
  readonly rowGroups: number;
  readonly schema: Schema;
  /** names and types in order, nullability left out: files must agree on this */
  readonly signature: string;
}

const MAGIC = 0x31524150; // "PAR1" little-endian
const cache = new Lru<string, FooterSummary>(20_000);
const interned = new Map<string, Schema>(); // thousands of files usually share one schema

/**
 * Reads exactly the footer bytes of a parquet file: 8 trailing bytes, then the metadata.
 * Throws an Error whose message says why the file is not readable parquet.
 * Example: `const meta = await readParquetMetadata("/d/part-0.parquet", 1234)`
 */
export async function readParquetMetadata(file: string, size: number): Promise<FileMetaData> {
  if (size < 12) throw new Error(`not a parquet file (only ${size} bytes)`);
  const fh = await fs.open(file, "r");
  try {
    const tail = Buffer.alloc(8);
    await fh.read(tail, 0, 8, size - 8);
    if (tail.readUInt32LE(4) !== MAGIC) throw new Error("not a parquet file (no PAR1 footer)");
    const len = tail.readUInt32LE(0);
    if (len + 12 > size) throw new Error(`corrupt parquet footer (metadata length ${len} > file size ${size})`);
    const buf = Buffer.alloc(len + 8);
    await fh.read(buf, 0, len + 8, size - len - 8);
    return parquetMetadata(buf, { geoparquet: false });
  } finally {
    await fh.close();
  }
}

/**
 * Decodes a footer given a ranged reader (`read(start, end)` -> bytes [start, end)): the
 * 8 trailing bytes, then exactly the metadata. Used for S3 objects (two ranged GETs).
 */
export async function readParquetMetadataAt(size: number, read: (start: number, end: number) => Promise<Uint8Array>): Promise<FileMetaData> {
  if (size < 12) throw new Error(`not a parquet file (only ${size} bytes)`);
  const tail = Buffer.from(await read(size - 8, size));
  if (tail.readUInt32LE(4) !== MAGIC) throw new Error("not a parquet file (no PAR1 footer)");
  const len = tail.readUInt32LE(0);
  if (len + 12 > size) throw new Error(`corrupt parquet footer (metadata length ${len} > file size ${size})`);
  const meta = Buffer.from(await read(size - len - 8, size - 8));
  const buf = Buffer.concat([meta, tail]);
  return parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, { geoparquet: false });
}

/** Reads one file's footer metadata (local files by default; S3 passes a ranged reader). */
export type MetadataReader = (f: DatasetFile) => Promise<FileMetaData>;
const readLocal: MetadataReader = (f) => readParquetMetadata(f.path, f.size);

/**
 * The footer facts of one file, from the cache when the file is unchanged.
 * Example: `(await footerSummary({ path, size, mtimeMs })).numRows // 1204`
 */
export async function footerSummary(f: DatasetFile, read: MetadataReader = readLocal): Promise<FooterSummary> {
  const hit = cachedFooter(f);
  if (hit) return hit;
  const key = cacheKey(f);
  const meta = await read(f);
  const cols = schemaFromParquet(meta);
  const signature = cols.map((c) => `${c.name}:${c.type}`).join(",");
  const full = `${signature}|${cols.map((c) => (c.nullable ? 1 : 0)).join("")}`;
  let schema = interned.get(full);
  if (!schema) interned.set(full, (schema = Object.freeze(cols)));
  const summary: FooterSummary = { numRows: Number(meta.num_rows), rowGroups: meta.row_groups.length, schema, signature };
  cache.set(key, summary);
  return summary;
}

const cacheKey = (f: DatasetFile) => `${f.path}\0${f.size}\0${f.mtimeMs}`;

/** The cached summary when the file is unchanged since it was read, without any I/O. */
export function cachedFooter(f: DatasetFile): FooterSummary | undefined {
  return cache.get(cacheKey(f));
}

/** Drops cached footers (tests, or after a bulk rewrite). */
export function clearFooterCache(): void {
  cache.clear();
}

/**
 * Top-level columns of a parquet file as our Columns; nullable unless the field is REQUIRED.
 * Example: an `optional binary (STRING)` field -> `{ name, type: "string", nullable: true }`
 */
export function schemaFromParquet(meta: Pick<FileMetaData, "schema">): Column[] {
  return parquetSchema(meta).children.map((node) => ({
    name: node.element.name,
    type: nodeType(node),
    nullable: node.element.repetition_type === "OPTIONAL",
  }));
}

function nodeType(node: SchemaTree): DataType {
  const e = node.element;
  const logical = e.logical_type?.type;
  if (e.repetition_type === "REPEATED") return "list"; // legacy un-annotated list
  if (node.children.length > 0) {
    if (logical === "LIST" || e.converted_type === "LIST") return "list";
    if (logical === "MAP" || e.converted_type === "MAP" || e.converted_type === "MAP_KEY_VALUE") return "unknown";
    if (logical === "VARIANT") return "unknown";
    return "struct";
  }
  return leafType(e);
}

/** Logical annotation first, then the legacy converted type, then the physical type. */
export function leafType(e: SchemaElement): DataType {
  const lt = e.logical_type;
  switch (lt?.type) {
    case "STRING": case "ENUM": case "JSON": return "string";
    case "BSON": case "UUID": case "GEOMETRY": case "GEOGRAPHY": return "binary";
    case "DATE": return "date32";
    case "TIMESTAMP": return "timestamp";
    case "DECIMAL": return "decimal";
    case "NULL": return "null";
    case "INTEGER": return `${lt.isSigned ? "int" : "uint"}${lt.bitWidth}` as DataType;
    case "TIME": case "INTERVAL": case "FLOAT16": return "unknown"; // no such DataType yet
  }
  switch (e.converted_type) {
    case "UTF8": case "ENUM": case "JSON": return "string";
    case "BSON": return "binary";
    case "DATE": return "date32";
    case "TIMESTAMP_MILLIS": case "TIMESTAMP_MICROS": return "timestamp";
    case "DECIMAL": return "decimal";
    case "INT_8": return "int8";
    case "INT_16": return "int16";
    case "INT_32": return "int32";
    case "INT_64": return "int64";
    case "UINT_8": return "uint8";
    case "UINT_16": return "uint16";
    case "UINT_32": return "uint32";
    case "UINT_64": return "uint64";
    case "TIME_MILLIS": case "TIME_MICROS": case "INTERVAL": return "unknown";
  }
  switch (e.type) {
    case "BOOLEAN": return "bool";
    case "INT32": return "int32";
    case "INT64": return "int64";
    case "INT96": return "timestamp"; // legacy Impala/Spark timestamps; Arrow reads timestamp[ns]
    case "FLOAT": return "float32";
    case "DOUBLE": return "float64";
    case "BYTE_ARRAY": case "FIXED_LEN_BYTE_ARRAY": return "binary";
    default: return "unknown";
  }
}
