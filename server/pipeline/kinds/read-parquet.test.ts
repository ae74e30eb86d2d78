// Tests for the read-parquet kind.
import { describe, expect, it } from "vitest";
import { NodeSchema } from "../schema";
import { REVIEWS_SCHEMA, reviewsSource } from "../test-fixtures";
import { readParquet } from "./read-parquet";

const node = (params: object) => NodeSchema.parse({ id: "read", kind: "read-parquet", params }) as Parameters<typeof readParquet.outputSchema>[0];
const run = (params: object, sources = {}) => readParquet.outputSchema(node(params), null, { sources });

describe("read-parquet", () => {
  it("outputs the source schema from the footer lookup", () => {
    expect(run({ path: "data/reviews" }, { read: reviewsSource() })).toEqual({ schema: REVIEWS_SCHEMA, diagnostics: [] });
  });

  it("narrows to the selected columns, in file order", () => {
    const r = run({ path: "data/reviews", columns: ["total_votes", "marketplace"] }, { read: reviewsSource() });
    expect(r.schema!.map((c) => c.name)).toEqual(["marketplace", "total_votes"]);
  });

  it("reports unknown and repeated selected columns by index", () => {
    const r = run({ path: "p", columns: ["marketplace", "totl_votes", "marketplace"] }, { read: reviewsSource() });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: "E_COLUMN_UNKNOWN", nodeId: "read", field: "columns.1", hint: "Did you mean 'total_votes'?" }),
      expect.objectContaining({ code: "E_COLUMN_DUPLICATE", field: "columns.2" }),
    ]);
  });

  it("knows nothing, and says nothing, without a lookup", () => {
    expect(run({ path: "data/reviews" })).toEqual({ schema: null, diagnostics: [] });
  });

  it("passes the lookup's error code through", () => {
    const r = run({ path: "nope" }, { read: { ok: false, code: "E_SOURCE_NOT_FOUND", message: "no such file or directory" } });
    expect(r.schema).toBeNull();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: "E_SOURCE_NOT_FOUND", message: "Cannot read 'nope': no such file or directory", field: "path" }),
    ]);
  });

  it("requires a path", () => {
    expect(run({ path: "  " }).diagnostics.map((d) => d.code)).toEqual(["E_PATH_MISSING"]);
  });

  it("rejects an empty column selection", () => {
    expect(run({ path: "p", columns: [] }, { read: reviewsSource() }).diagnostics.map((d) => d.code)).toEqual(["E_READ_COLUMNS_EMPTY"]);
  });

  it("ignores inherited properties of the lookup record", () => {
    const n = NodeSchema.parse({ id: "constructor", kind: "read-parquet", params: { path: "p" } }) as Parameters<typeof readParquet.outputSchema>[0];
    expect(readParquet.outputSchema(n, null, { sources: {} })).toEqual({ schema: null, diagnostics: [] });
  });

  it("summarises path and selection", () => {
    expect(readParquet.summary({ path: "data/reviews", columns: null })).toBe("data/reviews");
    expect(readParquet.summary({ path: "data/reviews", columns: ["a"] })).toBe("data/reviews (1 column)");
    expect(readParquet.summary(readParquet.defaults())).toBe("(no path)");
  });
});
