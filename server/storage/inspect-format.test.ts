import { describe, expect, it } from "vitest";
import type { SourceInfo } from "../pipeline/types";
import { formatInspection, humanBytes } from "./inspect-format";

const info: SourceInfo = {
  path: "data/reviews",
  schema: [
    { name: "review_id", type: "string", nullable: false },
    { name: "total_votes", type: "int32", nullable: true },
    { name: "product_category", type: "string", nullable: true },
  ],
  numRows: 2_000_000,
  sizeBytes: 192_602_418,
  files: 13,
  partitionKeys: ["product_category"],
};

describe("formatInspection", () => {
  it("prints counts with separators, sizes in both units, partitions, schema and a sample", () => {
    const text = formatInspection(
      { info, partitionCount: 12, partitionValues: { product_category: ["Apparel", "Books"] } },
      { review_id: "R1", total_votes: null, product_category: "Books", review_body: "x".repeat(500) },
    );
    const lines = text.split("\n");
    expect(lines.slice(0, 6)).toEqual([
      "path        data/reviews",
      "rows        2,000,000",
      "size        183.7 MiB (192,602,418 bytes)",
      "files       13",
      "partitions  product_category (12 directories)",
      "              product_category: Apparel, Books",
    ]);
    expect(text).toContain("schema (3 columns)");
    expect(text).toMatch(/ 1 {2}review_id\s+string {2}no\n/);
    expect(text).toMatch(/ 3 {2}product_category\s+string {2}yes {2}\(partition\)/);
    expect(text).toMatch(/total_votes\s+null\n/);
    expect(text.endsWith("chars)")).toBe(true);
    expect(text).toMatch(/review_body\s+"x{78}… \(502 chars\)/);
  });

  it("handles unknown counts, no partitions and no sample", () => {
    const text = formatInspection({ ...info, numRows: null, sizeBytes: 10, partitionKeys: [] }, null);
    expect(text).toContain("rows        unknown");
    expect(text).toContain("size        10 bytes");
    expect(text).toContain("partitions  none");
    expect(text).toContain("sample row  none");
  });

  it("humanBytes uses binary units", () => {
    expect(humanBytes(0)).toBe("0 bytes");
    expect(humanBytes(1536)).toBe("1.5 KiB");
    expect(humanBytes(5 * 1024 ** 3)).toBe("5.0 GiB");
  });
});
