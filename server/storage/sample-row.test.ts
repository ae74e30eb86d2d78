// sampleRow against pyarrow's first row of the same file.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plain, sampleRow, SourceReadError } from "./sample-row";
import { genReviews, pyJson, tempDir } from "./testing";

let tmp: ReturnType<typeof tempDir>;
let reviews: string;
beforeAll(() => {
  tmp = tempDir();
  reviews = path.join(tmp.dir, "reviews");
  genReviews(reviews, 3000, "--seed", "5");
}, 60_000);
afterAll(() => tmp.cleanup());

describe("sampleRow", () => {
  it("returns the first row of the first file, with the partition value, like pyarrow", async () => {
    const row = await sampleRow(reviews);
    const want = pyJson<Record<string, unknown>>(`
import sys, json, glob, pyarrow.parquet as pq
first = sorted(glob.glob(sys.argv[1] + "/*/*.parquet"))[0]
r = pq.ParquetFile(first).read_row_group(0).slice(0, 1).to_pylist()[0]
r["product_category"] = first.split("product_category=")[1].split("/")[0]
print(json.dumps(r, default=str))`, reviews);
    expect(row).toEqual(want);
    expect(typeof row?.star_rating).toBe("number");
    expect(row?.review_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("turns int64 into numbers, timestamps into ISO strings and skips empty files", async () => {
    const dir = path.join(tmp.dir, "typed");
    mkdirSync(dir);
    pyJson(`
import sys, datetime, pyarrow as pa, pyarrow.parquet as pq
pq.write_table(pa.table({"id": pa.array([], pa.int64()), "ts": pa.array([], pa.timestamp("us"))}), sys.argv[1] + "/a.parquet")
pq.write_table(pa.table({"id": pa.array([2**40, 7], pa.int64()),
                         "ts": pa.array([datetime.datetime(2021, 3, 4, 5, 6, 7)] * 2, pa.timestamp("us"))}), sys.argv[1] + "/b.parquet")
print("null")`, dir);
    expect(await sampleRow(dir)).toEqual({ id: 2 ** 40, ts: "2021-03-04T05:06:07.000Z" });
  });

  it("is null for a dataset without rows", async () => {
    const dir = path.join(tmp.dir, "norows");
    mkdirSync(dir);
    pyJson(`import sys, pyarrow as pa, pyarrow.parquet as pq
pq.write_table(pa.table({"x": pa.array([], pa.int32())}), sys.argv[1] + "/a.parquet")
print("null")`, dir);
    expect(await sampleRow(dir)).toBeNull();
  });

  it("throws SourceReadError with the lookup code for a missing source", async () => {
    const err = await sampleRow(path.join(tmp.dir, "missing")).catch((e) => e);
    expect(err).toBeInstanceOf(SourceReadError);
    expect(err.code).toBe("E_SOURCE_NOT_FOUND");
  });
});

describe("plain", () => {
  it("keeps unsafe bigints exact as strings and encodes bytes as base64", () => {
    expect(plain(2n ** 60n)).toBe("1152921504606846976");
    expect(plain(-5n)).toBe(-5);
    expect(plain(new Uint8Array([104, 105]))).toBe("aGk=");
    expect(plain({ a: [1n, new Date(0)] })).toEqual({ a: [1, "1970-01-01T00:00:00.000Z"] });
    expect(plain(new Date(86_400_000), "date32")).toBe("1970-01-02");
  });
});
