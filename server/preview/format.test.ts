// The CLI's preview table: what the rows are, names and types in the heading, nulls, numbers right.
import { describe, expect, it } from "vitest";
import { cellText, formatPreview } from "./format";

describe("formatPreview", () => {
  it("prints a header, names and types, and aligned rows", () => {
    const text = formatPreview({
      ok: true, nodeId: "sort", cached: true, ms: 12.3, sampleRows: 2, outputRows: 2, sourceRowsRead: 100, sourceTruncated: true,
      columns: [{ name: "marketplace", type: "string" }, { name: "total_votes", type: "int32" }],
      rows: [["US", 12], [null, 3]],
    });
    expect(text.split("\n")).toEqual([
      "2 sample rows after node sort (read 100 source rows; the source has more) [cached] in 12 ms",
      "marketplace  total_votes",
      "string             int32",
      "-----------  -----------",
      "US                    12",
      "null                   3",
    ]);
  });

  it("names the node and line of an error", () => {
    expect(formatPreview({ ok: false, nodeId: "out", cached: false, ms: 5, error: { code: "UDF_ERROR", nodeId: "keep", line: 3, message: "ZeroDivisionError: division by zero" } }))
      .toBe("preview of out failed: UDF_ERROR (node keep, line 3): ZeroDivisionError: division by zero");
  });

  it("keeps cells on one line and short", () => {
    expect(cellText("a\nb")).toBe("a\\nb");
    expect(cellText("x".repeat(60))).toHaveLength(40);
    expect(cellText({ a: 1 })).toBe('{"a":1}');
  });
});
