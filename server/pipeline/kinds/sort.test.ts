// Tests for the sort kind.
import { describe, expect, it } from "vitest";
import { NodeSchema } from "../schema";
import { REVIEWS_SCHEMA } from "../test-fixtures";
import type { Schema } from "../types";
import { sort } from "./sort";

const node = (keys: object[]) => NodeSchema.parse({ id: "sort", kind: "sort", params: { keys } }) as Parameters<typeof sort.outputSchema>[0];
const run = (keys: object[], input: Schema | null = REVIEWS_SCHEMA) => sort.outputSchema(node(keys), input, {});

describe("sort", () => {
  it("passes the schema through", () => {
    expect(run([{ column: "total_votes", descending: true }])).toEqual({ schema: REVIEWS_SCHEMA, diagnostics: [] });
  });

  it("reports missing keys, unknown and repeated key columns", () => {
    expect(run([]).diagnostics.map((d) => d.code)).toEqual(["E_SORT_NO_KEYS"]);
    expect(run([{ column: "totl_votes" }]).diagnostics).toEqual([
      expect.objectContaining({ code: "E_COLUMN_UNKNOWN", field: "keys.0.column", hint: "Did you mean 'total_votes'?" }),
    ]);
    expect(run([{ column: "year" }, { column: "year", descending: true }]).diagnostics.map((d) => [d.code, d.field]))
      .toEqual([["E_COLUMN_DUPLICATE", "keys.1.column"]]);
  });

  it("rejects keys whose values have no order", () => {
    const input: Schema = [...REVIEWS_SCHEMA, { name: "tags", type: "list", nullable: true }, { name: "raw", type: "binary", nullable: true }];
    expect(run([{ column: "tags" }, { column: "year" }, { column: "raw" }], input).diagnostics.map((d) => [d.code, d.field])).toEqual([
      ["E_SORT_KEY_UNSORTABLE", "keys.0.column"], ["E_SORT_KEY_UNSORTABLE", "keys.2.column"],
    ]);
  });

  it("skips column checks when the input is unknown", () => {
    expect(run([{ column: "x" }], null)).toEqual({ schema: null, diagnostics: [] });
  });

  it("summarises keys and directions", () => {
    expect(sort.summary({ keys: [{ column: "total_votes", descending: true }, { column: "year", descending: false }] }))
      .toBe("sort by total_votes desc, year");
  });
});
