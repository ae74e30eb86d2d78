// Tests for the udf-filter kind.
import { describe, expect, it } from "vitest";
import { NodeSchema } from "../schema";
import { REVIEWS_SCHEMA } from "../test-fixtures";
import { udfFilter } from "./udf-filter";

const node = (params: object) => NodeSchema.parse({ id: "keep", kind: "udf-filter", params }) as Parameters<typeof udfFilter.outputSchema>[0];
const KEEP = "def keep(batch):\n    return batch['total_votes'] > 0\n";
const codes = (params: object, ctx = {}) => udfFilter.outputSchema(node(params), REVIEWS_SCHEMA, ctx).diagnostics.map((d) => d.code);

describe("udf-filter", () => {
  it("passes the schema through", () => {
    expect(udfFilter.outputSchema(node({ source: KEEP }), REVIEWS_SCHEMA, {})).toEqual({ schema: REVIEWS_SCHEMA, diagnostics: [] });
  });

  it("requires source defining keep()", () => {
    expect(codes({ source: "\n  \n" })).toEqual(["E_UDF_EMPTY"]);
    expect(codes({ source: "def compute(batch):\n    return batch" })).toEqual(["E_UDF_NO_KEEP"]);
    expect(codes({ source: "# def keep(batch):\nx = 1" })).toEqual(["E_UDF_NO_KEEP"]);
  });

  it("reports Python syntax errors from the context", () => {
    expect(codes({ source: KEEP }, { python: { keep: { ok: false, line: 2, message: "unexpected indent" } } })).toEqual(["E_PY_SYNTAX"]);
    expect(codes({ source: KEEP }, { python: { keep: { ok: true } } })).toEqual([]);
  });

  it("checks compute settings", () => {
    expect(codes({ source: KEEP, compute: { strategy: "actors", minSize: 2, maxSize: 1 } })).toEqual(["E_COMPUTE_INVALID"]);
    expect(codes({ source: KEEP, batchSize: -1 })).toEqual(["E_COMPUTE_INVALID"]);
  });

  it("ships a default that passes its own checks", () => {
    expect(udfFilter.outputSchema(node(udfFilter.defaults()), REVIEWS_SCHEMA, {}).diagnostics).toEqual([]);
  });

  it("summarises compute", () => {
    expect(udfFilter.summary({ ...udfFilter.defaults(), compute: { strategy: "actors", minSize: 1, maxSize: 2 }, batchSize: 1024 }))
      .toBe("keep(batch) on actor pool 1-2, batches of 1024");
  });
});
