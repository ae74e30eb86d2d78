// One sample row of a parquet source, read from the first row group of its first non-empty
// file, with values made JSON-friendly (bigint -> number, dates -> ISO strings).
import { asyncBufferFromFile, parquetReadObjects, type ParquetParsers } from "hyparquet";
import type { DataType } from "../pipeline/types";
import { inspectFiles } from "./parquet-dataset";
import { readParquetMetadata } from "./parquet-footer";

/** Thrown when the source itself cannot be read; `code` matches SourceLookup's codes. */
export class SourceReadError extends Error {
  constructor(readonly code: "E_SOURCE_NOT_FOUND" | "E_SOURCE_UNREADABLE", message: string) {
    super(message);
    this.name = "SourceReadError";
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const PARSERS: Partial<ParquetParsers> = {
  dateFromDays: (days: number) => iso(days * 86_400_000).slice(0, 10),
  timestampFromMilliseconds: (v: bigint) => iso(Number(v)),
  timestampFromMicroseconds: (v: bigint) => iso(Number(v / 1000n)),
  timestampFromNanoseconds: (v: bigint) => iso(Number(v / 1_000_000n)),
  jsonFromBytes: (b: Uint8Array) => b && new TextDecoder().decode(b), // our type for JSON is string
};

/**
 * The first row of the dataset (partition columns included), or null when it has no rows.
 * Reads one row group's first pages (the page index, when present, keeps it to one page per
 * column). Throws SourceReadError for a missing or unreadable source.
 * Example: `await sampleRow("/data/reviews")` -> `{ marketplace: "US", star_rating: 5, review_date: "2015-02-17", ..., product_category: "Apparel" }`
 */
export async function sampleRow(p: string): Promise<Record<string, unknown> | null> {
  const found = await inspectFiles(p);
  if (!found.ok) throw new SourceReadError(found.code, found.message);
  const file = found.files.find((f) => f.numRows > 0);
  if (!file) return null;

  const metadata = await readParquetMetadata(file.path, file.size);
  const rows = await parquetReadObjects({
    file: await asyncBufferFromFile(file.path),
    metadata,
    rowStart: 0,
    rowEnd: 1,
    useOffsetIndex: true,
    parsers: PARSERS,
  });
  const row = rows[0];
  if (!row) return null;
  const types = new Map(found.facts.info.schema.map((c) => [c.name, c.type]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = plain(v, types.get(k));
  for (const [k, v] of Object.entries(file.partition)) if (!(k in out)) out[k] = v;
  return out;
}

/** JSON-friendly value: safe bigints become numbers, others strings; bytes become base64. */
export function plain(v: unknown, type?: DataType): unknown {
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Date) return type === "date32" ? v.toISOString().slice(0, 10) : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (Array.isArray(v)) return v.map((x) => plain(x));
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return o;
  }
  return v;
}
