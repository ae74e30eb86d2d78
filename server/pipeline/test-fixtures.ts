// Shared test fixtures: the Amazon reviews schema as a parquet footer would report it, and the
// acceptance pipeline. Not a test file itself, so the compiler's tests can import it too.
import { PipelineDocumentSchema, type PipelineDocument } from "./schema";
import type { Column, DataType, Schema, SourceLookup } from "./types";

const col = (name: string, type: DataType, nullable = true): Column => ({ name, type, nullable });

/** The reviews dataset: 15 data columns plus the hive partition column product_category. */
export const REVIEWS_SCHEMA: Schema = [
  col("marketplace", "string", false),
  col("customer_id", "string", false),
  col("review_id", "string", false),
  col("product_id", "string", false),
  col("product_parent", "string"),
  col("product_title", "string"),
  col("star_rating", "int32", false),
  col("helpful_votes", "int32", false),
  col("total_votes", "int32", false),
  col("vine", "bool"),
  col("verified_purchase", "bool"),
  col("review_headline", "string"),
  col("review_body", "string"),
  col("review_date", "date32"),
  col("year", "int32"),
  col("product_category", "string", false),
];

/**
 * A successful source lookup for the reviews dataset at `path`.
 * Example: analyze(doc, { sources: { read: reviewsSource("data/reviews") } })
 */
export function reviewsSource(path = "data/reviews"): SourceLookup {
  return {
    ok: true,
    info: { path, schema: REVIEWS_SCHEMA, numRows: 100_000, sizeBytes: 48_000_000, files: 12, partitionKeys: ["product_category"] },
  };
}

/**
 * The acceptance journey as a document: read -> ratio -> drop -> keep -> sort -> flag -> out.
 * Example: analyze(reviewsPipeline(), { sources: { read: reviewsSource() } }).diagnostics -> []
 */
export function reviewsPipeline(): PipelineDocument {
  return PipelineDocumentSchema.parse({
    schemaVersion: 1,
    id: "reviews",
    name: "Amazon reviews",
    nodes: [
      { id: "read", kind: "read-parquet", name: "reviews", params: { path: "data/reviews" }, position: { x: 0, y: 0 } },
      { id: "ratio", kind: "add-column", params: { column: "helpful_ratio", expression: "helpful_votes / total_votes" }, position: { x: 200, y: 0 } },
      { id: "drop", kind: "drop-columns", params: { columns: ["review_body"] }, position: { x: 400, y: 0 } },
      {
        id: "keep", kind: "udf-filter", name: "US with votes", position: { x: 600, y: 0 },
        params: { source: "def keep(batch):\n    return (batch['total_votes'] > 0) & (batch['marketplace'] == 'US')\n" },
      },
      { id: "sort", kind: "sort", params: { keys: [{ column: "total_votes", descending: true }] }, position: { x: 800, y: 0 } },
      {
        id: "flag", kind: "add-column", name: "flag low votes", position: { x: 1000, y: 0 },
        params: {
          column: "low_votes", mode: "python", outputType: "bool",
          source: "def compute(batch):\n    return batch['total_votes'] < 100\n",
          compute: { strategy: "actors", minSize: 1, maxSize: 2 },
        },
      },
      { id: "out", kind: "write", params: { path: "out/reviews", format: "parquet", mode: "overwrite" }, position: { x: 1200, y: 0 } },
    ],
    edges: [
      { source: "read", target: "ratio" },
      { source: "ratio", target: "drop" },
      { source: "drop", target: "keep" },
      { source: "keep", target: "sort" },
      { source: "sort", target: "flag" },
      { source: "flag", target: "out" },
    ],
  });
}
