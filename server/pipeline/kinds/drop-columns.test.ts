// Tests for the drop-columns kind.
import { describe, expect, it } from "vitest";
import { NodeSchema } from "../schema";
import { REVIEWS_SCHEMA } from "../test-fixtures";
import { dropColumns } from "./drop-columns";

const node = (columns: string[]) => NodeSchema.parse({ id: "drop", kind: "drop-columns", params: { columns } }) as Parameters<typeof dropColumns.outputSchema>[0];
const run = (columns: string[], input: typeof REVIEWS_SCHEMA | null = REVIEWS_SCHEMA) => dropColumns.outputSchema(node(columns), input, {});

describe("drop-columns", () => {
  it("removes the listed columns", () => {
    const r = run(["review_body", "vine"]);
    expect(r.diagnostics).toEqual([]);
    expect(r.schema!.map((c) => c.name)).not.toContain("review_body");
    expect(r.schema).toHaveLength(REVIEWS_SCHEMA.length - 2);
  });

  it("reports unknown columns with a suggestion", () => {
    expect(run(["review_body", "reviw_headline"]).diagnostics).toEqual([expect.objectContaining({
      code: "E_COLUMN_UNKNOWN", nodeId: "drop", field: "columns.1", message: "Unknown column 'reviw_headline'", hint: "Did you mean 'review_headline'?",
    })]);
  });

  it("reports empty lists, repeats, empty names and dropping everything", () => {
    expect(run([]).diagnostics.map((d) => d.code)).toEqual(["E_DROP_EMPTY"]);
    expect(run(["vine", "vine"]).diagnostics.map((d) => [d.code, d.field])).toEqual([["E_COLUMN_DUPLICATE", "columns.1"]]);
    expect(run([""]).diagnostics.map((d) => d.code)).toEqual(["E_COLUMN_NAME_EMPTY"]);
    expect(run(REVIEWS_SCHEMA.map((c) => c.name)).diagnostics.map((d) => d.code)).toEqual(["E_DROP_ALL"]);
  });

  it("skips column checks when the input is unknown", () => {
    expect(run(["whatever"], null)).toEqual({ schema: null, diagnostics: [] });
  });

  it("summarises the columns", () => {
    expect(dropColumns.summary({ columns: ["a", "b"] })).toBe("drop a, b");
  });
});
