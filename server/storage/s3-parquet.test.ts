// Footer reads through a ranged reader (what S3 uses): exactly two ranges at the end of the
// file — the 8-byte tail, then the metadata — never a data page; the same metadata as the
// local reader; clear errors for objects that are not parquet.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readParquetMetadata, readParquetMetadataAt } from "./parquet-footer";
import { genReviews, tempDir } from "./testing";

let tmp: ReturnType<typeof tempDir>;
let file: string;
beforeAll(() => {
  tmp = tempDir("etl-footer-");
  genReviews(path.join(tmp.dir, "r"), 3000);
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  file = walk(path.join(tmp.dir, "r")).find((f) => f.endsWith(".parquet"))!;
});
afterAll(() => tmp?.cleanup());

describe("readParquetMetadataAt", () => {
  it("fetches only the footer, in two ranges, and decodes what the local reader does", async () => {
    const bytes = fs.readFileSync(file);
    const ranges: [number, number][] = [];
    const meta = await readParquetMetadataAt(bytes.length, async (s, e) => {
      ranges.push([s, e]);
      return new Uint8Array(bytes.subarray(s, e));
    });
    const len = bytes.readUInt32LE(bytes.length - 8);
    expect(ranges).toEqual([[bytes.length - 8, bytes.length], [bytes.length - 8 - len, bytes.length - 8]]);
    expect(ranges.reduce((n, [s, e]) => n + e - s, 0)).toBeLessThan(bytes.length / 4);
    const local = await readParquetMetadata(file, bytes.length);
    expect(Number(meta.num_rows)).toBe(Number(local.num_rows));
    expect(meta.schema.map((s) => s.name)).toEqual(local.schema.map((s) => s.name));
  });

  it("says why an object is not parquet", async () => {
    const text = Buffer.from("just some text, not parquet at all");
    await expect(readParquetMetadataAt(text.length, async (s, e) => new Uint8Array(text.subarray(s, e)))).rejects.toThrow(/not a parquet file \(no PAR1 footer\)/);
    await expect(readParquetMetadataAt(5, async () => new Uint8Array(5))).rejects.toThrow(/only 5 bytes/);
  });
});
