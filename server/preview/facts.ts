// Dataset facts for a source node, in two parts so the footer facts never wait on row data:
// `sourceFacts` (what sources.facts answers) reads parquet footers only; `sourceSample` (what
// sources.sample answers) reads one row, which costs a data page per column (~250 ms on a
// 5M-row dataset with 100k-row groups), so it is kept per version of the file it comes from.
import { datasetFacts, inspectFiles, sampleRow, type DatasetFacts } from "../storage";
import { Lru } from "../storage/lru";

const samples = new Lru<string, Record<string, unknown> | null>(256);

type NotFound = { readonly ok: false; readonly code: "E_SOURCE_NOT_FOUND" | "E_SOURCE_UNREADABLE"; readonly message: string };

export type SourceFactsLookup = { readonly ok: true; readonly facts: DatasetFacts } | NotFound;
export type SourceSampleLookup = { readonly ok: true; readonly sample: Record<string, unknown> | null } | NotFound;

/** Footer facts only. Example: `const r = await sourceFacts("/data/reviews"); if (r.ok) r.facts.info.numRows // 5000000` */
export async function sourceFacts(p: string): Promise<SourceFactsLookup> {
  return datasetFacts(p);
}

/**
 * The first row of the first non-empty file, cached per (path, file, size, mtime).
 * Example: `(await sourceSample("/data/reviews")).sample?.marketplace // "US"`.
 * Throws SourceReadError when the row cannot be read.
 */
export async function sourceSample(p: string): Promise<SourceSampleLookup> {
  const listed = await inspectFiles(p); // footers are cached: the listing is the cost
  if (!listed.ok) return listed;
  const first = listed.files.find((f) => f.numRows > 0);
  if (!first) return { ok: true, sample: null };
  const key = `${p}\u0000${first.path}\u0000${first.size}\u0000${first.mtimeMs}`;
  const hit = samples.get(key);
  if (hit !== undefined) return { ok: true, sample: hit };
  const sample = await sampleRow(p);
  samples.set(key, sample);
  return { ok: true, sample };
}
