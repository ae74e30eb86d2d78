// Node-side glue between the pure pipeline core and the outside world: looks up every source's
// parquet footers (local files, or s3:// through the node's named connection) and checks every
// UDF's Python syntax, so analyze()/compile() stay pure.
import path from "node:path";
import type { Connections } from "../connections/store";
import type { PipelineDocument } from "../pipeline/schema";
import type { SourceLookup } from "../pipeline/types";
import { inspectDataset, inspectFiles, type DatasetFilesLookup } from "../storage/parquet-dataset";
import { inspectS3Dataset, inspectS3Files } from "../storage/s3-parquet";
import { parseS3Uri, type S3Settings } from "../storage/s3";
import { sourceError } from "../storage/file-listing";
import { checkPythonSources } from "../python/check-udf";

export interface PipelineContext {
  readonly sources: Record<string, SourceLookup>;
  readonly python: Record<string, { ok: true } | { ok: false; line: number; message: string }>;
  readonly connections?: readonly string[];
}

/** Where relative pipeline paths resolve: $ETL_BASE_DIR, else the project root. */
export function baseDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.ETL_BASE_DIR ?? process.env.ETL_ROOT ?? process.cwd());
}

export function resolvePath(p: string, base = baseDir()): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || path.isAbsolute(p) ? p : path.join(/* turbopackIgnore: true */ base, p);
}

/** s3:// paths without a connection: the environment's default chain (AWS_REGION, AWS_ENDPOINT_URL). */
export function defaultChainSettings(): S3Settings {
  return {
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    endpoint: process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL ?? null,
    pathStyle: false,
    credentials: null,
  };
}

type Settled = { ok: true; settings: S3Settings } | { ok: false; message: string };

async function settingsFor(connection: string | undefined, connections: Connections | null): Promise<Settled> {
  if (!connection) return { ok: true, settings: defaultChainSettings() };
  const s = connections ? await connections.settings(connection) : null;
  return s ? { ok: true, settings: s } : { ok: false, message: `there is no S3 connection named '${connection}'` };
}

/** Footer facts of a source path: local, or s3:// through `connection` (a name). */
export async function inspectSource(p: string, connection: string | undefined, connections: Connections | null, base = baseDir()): Promise<SourceLookup> {
  if (!parseS3Uri(p)) return inspectDataset(resolvePath(p, base));
  const s = await settingsFor(connection, connections);
  return s.ok ? inspectS3Dataset(p.trim(), s.settings) : sourceError("E_SOURCE_UNREADABLE", s.message);
}

/** Like inspectSource, with every file (previews sample them). */
export async function inspectSourceFiles(p: string, connection: string | undefined, connections: Connections | null, base = baseDir()): Promise<DatasetFilesLookup> {
  if (!parseS3Uri(p)) return inspectFiles(resolvePath(p, base));
  const s = await settingsFor(connection, connections);
  return s.ok ? inspectS3Files(p.trim(), s.settings) : sourceError("E_SOURCE_UNREADABLE", s.message);
}

/**
 * Gathers source facts and Python checks for a document, concurrently. `connections` resolves
 * the S3 connections nodes name (null: none known, and their names are not checked).
 */
export async function gatherContext(doc: PipelineDocument, base = baseDir(), connections: Connections | null = null): Promise<PipelineContext> {
  const reads = doc.nodes.filter((n) => n.kind === "read-parquet" && n.params.path.trim() !== "");
  const udfs: Record<string, string> = {};
  for (const n of doc.nodes) {
    if (n.kind === "udf-filter" && n.params.source.trim()) udfs[n.id] = n.params.source;
    if (n.kind === "add-column" && n.params.mode === "python" && n.params.source.trim()) udfs[n.id] = n.params.source;
  }
  const [lookups, python, names] = await Promise.all([
    Promise.all(reads.map(async (n) => {
      const p = n.params as { path: string; connection?: string };
      return [n.id, await inspectSource(p.path, p.connection, connections, base)] as const;
    })),
    Object.keys(udfs).length ? checkPythonSources(udfs) : Promise.resolve({}),
    connections ? connections.names() : Promise.resolve(undefined),
  ]);
  const sources: Record<string, SourceLookup> = {};
  for (const [id, lookup] of lookups) sources[id] = lookup;
  return { sources, python, ...(names ? { connections: names } : {}) };
}
