// Parquet datasets on S3 from footers only: the listing (s3.ts) plus two ranged GETs per file
// (8 trailing bytes, then the metadata), through the same facts code as local datasets.
import type { SourceLookup } from "../pipeline/types";
import { datasetFacts, inspectDataset, inspectFiles, type DatasetFactsLookup, type DatasetFilesLookup, type DatasetStore } from "./parquet-dataset";
import { readParquetMetadataAt } from "./parquet-footer";
import { getRange, listS3ParquetFiles, s3Client, type S3Settings } from "./s3";

/** A DatasetStore over one connection; `close()` releases its sockets. */
export function s3Store(s: S3Settings): DatasetStore & { close(): void } {
  const client = s3Client(s);
  return {
    list: (uri) => listS3ParquetFiles(client, uri),
    readMetadata: (f) => readParquetMetadataAt(f.size, (start, end) => getRange(client, f.path, start, end)),
    close: () => client.destroy(),
  };
}

async function withStore<T>(s: S3Settings, fn: (store: DatasetStore) => Promise<T>): Promise<T> {
  const store = s3Store(s);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Example: await inspectS3Dataset("s3://lake/reviews", settings) -> { ok: true, info: { numRows: 40000, ... } } */
export const inspectS3Dataset = (uri: string, s: S3Settings): Promise<SourceLookup> => withStore(s, (st) => inspectDataset(uri, st));
/** Facts as `etl inspect` / the Facts panel show them, for an s3:// dataset. */
export const s3DatasetFacts = (uri: string, s: S3Settings): Promise<DatasetFactsLookup> => withStore(s, (st) => datasetFacts(uri, st));
/** Facts plus every file (for preview samples). */
export const inspectS3Files = (uri: string, s: S3Settings): Promise<DatasetFilesLookup> => withStore(s, (st) => inspectFiles(uri, st));
