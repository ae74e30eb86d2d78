// Inspects a local parquet dataset from footers only: schema, row count, bytes, files and hive
// partitions, shaped like what Ray's read_parquet (hive partitioning by default) will yield.
import path from "node:path";
import type { Column, SourceInfo, SourceLookup } from "../pipeline/types";
import { listParquetFiles, sourceError, type DatasetFile, type FileListing, type SourceError } from "./file-listing";
import { cachedFooter, footerSummary, type FooterSummary, type MetadataReader } from "./parquet-footer";
import { mapLimit } from "./concurrency";

const FOOTER_CONCURRENCY = 32;
const MAX_PARTITION_VALUES = 20;

/** One data file with its footer facts and the hive partition values parsed from its path. */
export interface InspectedFile extends DatasetFile {
  readonly numRows: number;
  readonly partition: Readonly<Record<string, string>>;
}

/** Everything `etl inspect` shows, beyond the SourceInfo the pipeline needs. */
export interface DatasetFacts {
  readonly info: SourceInfo;
  /** distinct partition directories (distinct combinations of partition values) */
  readonly partitionCount: number;
  /** per partition key, its first 20 distinct values in sorted order */
  readonly partitionValues: Readonly<Record<string, readonly string[]>>;
}

/** Where a dataset's files are listed and their footers read: local files by default, S3 via s3-parquet.ts. */
export interface DatasetStore {
  list(p: string): Promise<FileListing>;
  readonly readMetadata?: MetadataReader;
}
const LOCAL: DatasetStore = { list: listParquetFiles };

export type DatasetFactsLookup = { readonly ok: true; readonly facts: DatasetFacts } | SourceError;
export type DatasetFilesLookup =
  | { readonly ok: true; readonly facts: DatasetFacts; /** in read order (sorted by path) */ readonly files: readonly InspectedFile[] }
  | SourceError;

/**
 * Looks up a source for validation and compilation: reads footers, never data pages.
 * Example: `await inspectDataset("/data/reviews")`
 *   -> `{ ok: true, info: { path: "/data/reviews", numRows: 2000000, files: 13, partitionKeys: ["product_category"], ... } }`
 */
export async function inspectDataset(p: string, store: DatasetStore = LOCAL): Promise<SourceLookup> {
  const r = await inspectFiles(p, store);
  return r.ok ? { ok: true, info: r.facts.info } : r;
}

/**
 * Like inspectDataset, plus partition counts and values (what `etl inspect` prints).
 * Example: `const r = await datasetFacts("/data/reviews"); if (r.ok) r.facts.partitionValues.product_category // ["Apparel", ...]`
 */
export async function datasetFacts(p: string, store: DatasetStore = LOCAL): Promise<DatasetFactsLookup> {
  const r = await inspectFiles(p, store);
  return r.ok ? { ok: true, facts: r.facts } : r;
}

/**
 * Facts plus every file with its row count and partition values (for samples and previews).
 * Example: `const r = await inspectFiles("/data/reviews"); if (r.ok) r.files[0].partition // { product_category: "Apparel" }`
 */
export async function inspectFiles(p: string, store: DatasetStore = LOCAL): Promise<DatasetFilesLookup> {
  try {
    return await gatherFacts(p, store);
  } catch (e) {
    // e.g. a file deleted between listing and reading: report, don't crash the request
    return sourceError("E_SOURCE_UNREADABLE", `Cannot inspect ${p}: ${(e as Error).message}`);
  }
}

async function gatherFacts(p: string, store: DatasetStore): Promise<DatasetFilesLookup> {
  const listing = await store.list(p);
  if (!listing.ok) return listing;
  const { root, files } = listing;
  const shown = (f: DatasetFile) => (listing.kind === "file" ? f.path : path.relative(root, f.path));

  const footers = await mapLimit(files, FOOTER_CONCURRENCY, async (f) => {
    const hit = cachedFooter(f); // most files on a repeat inspection: no await per file
    if (hit) return hit;
    try {
      return await footerSummary(f, store.readMetadata);
    } catch (e) {
      return new Error(`${f.path} is not a readable parquet file: ${(e as Error).message}`);
    }
  });

  const first = footers[0];
  if (first instanceof Error) return sourceError("E_SOURCE_UNREADABLE", first.message);
  const nullable = new Set<string>();
  const parts: Record<string, string>[] = [];
  let numRows = 0;
  let sizeBytes = 0;
  for (let i = 0; i < files.length; i++) {
    const foot = footers[i];
    if (foot instanceof Error) return sourceError("E_SOURCE_UNREADABLE", foot.message);
    if (foot.signature !== first.signature) {
      return sourceError("E_SOURCE_UNREADABLE",
        `Parquet files have different schemas: ${shown(files[0])} and ${shown(files[i])} (${schemaDiff(first, foot)})`);
    }
    for (const c of foot.schema) if (c.nullable) nullable.add(c.name);
    parts.push(hivePartition(files[i].path));
    if (!sameKeys(parts[0], parts[i])) {
      return sourceError("E_SOURCE_UNREADABLE",
        `Inconsistent hive partition directories: ${shown(files[0])} has [${Object.keys(parts[0])}] but ${shown(files[i])} has [${Object.keys(parts[i])}]`);
    }
    numRows += foot.numRows;
    sizeBytes += files[i].size;
  }

  const partitionKeys = Object.keys(parts[0]);
  const fileCols = first.schema.map((c) => (c.nullable || !nullable.has(c.name) ? c : { ...c, nullable: true }));
  const names = new Set(fileCols.map((c) => c.name));
  // Ray appends partition columns after the file's columns, typed string (no inference).
  const partCols: Column[] = partitionKeys.filter((k) => !names.has(k)).map((name) => ({ name, type: "string", nullable: true }));

  const info: SourceInfo = {
    path: p,
    schema: [...fileCols, ...partCols],
    numRows,
    sizeBytes,
    files: files.length,
    partitionKeys,
  };
  const dirs = new Set(parts.map((kv) => partitionKeys.map((k) => kv[k]).join("\0")));
  const partitionValues: Record<string, string[]> = {};
  for (const k of partitionKeys) {
    partitionValues[k] = [...new Set(parts.map((kv) => kv[k]))].sort().slice(0, MAX_PARTITION_VALUES);
  }
  const inspected = files.map((f, i) => ({ ...f, numRows: (footers[i] as FooterSummary).numRows, partition: parts[i] }));
  return { ok: true, facts: { info, partitionCount: partitionKeys.length ? dirs.size : 0, partitionValues }, files: inspected };
}

/**
 * Hive `key=value` directories in a file's path, outermost first, values URL-decoded. Like
 * Ray (base_dir ""), the whole absolute path counts, not just the part below the dataset root.
 * Example: `hivePartition("/d/product_category=Books/part-0.parquet") // { product_category: "Books" }`
 */
export function hivePartition(filePath: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const seg of path.dirname(filePath).split(path.sep)) {
    const eq = seg.indexOf("=");
    if (eq < 0 || seg.indexOf("=", eq + 1) >= 0) continue; // Ray: exactly one "="
    out[seg.slice(0, eq)] = unquote(seg.slice(eq + 1));
  }
  return out;
}

function unquote(s: string): string {
  // Python's urllib.parse.unquote leaves malformed escapes alone instead of failing
  return s.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

function sameKeys(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function schemaDiff(a: FooterSummary, b: FooterSummary): string {
  const fmt = (c: Column | undefined) => (c ? `${c.name} ${c.type}` : "nothing");
  const n = Math.max(a.schema.length, b.schema.length);
  for (let i = 0; i < n; i++) {
    const x = a.schema[i];
    const y = b.schema[i];
    if (x?.name !== y?.name || x?.type !== y?.type) return `column ${i + 1}: ${fmt(x)} vs ${fmt(y)}`;
  }
  return "same columns";
}
