// Public surface of server/storage: local parquet sources inspected from footers only.
export { inspectDataset, datasetFacts, inspectFiles, hivePartition } from "./parquet-dataset";
export type { DatasetFacts, DatasetFactsLookup, DatasetFilesLookup, InspectedFile } from "./parquet-dataset";
export { sampleRow, SourceReadError } from "./sample-row";
export { formatInspection, humanBytes } from "./inspect-format";
export { listParquetFiles } from "./file-listing";
export type { DatasetFile, FileListing, SourceError } from "./file-listing";
export { clearFooterCache } from "./parquet-footer";
