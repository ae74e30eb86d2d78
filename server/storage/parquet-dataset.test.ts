// inspectDataset/datasetFacts against pyarrow's own reading of the same files.
import { mkdirSync, writeFileSync, copyFileSync, utimesSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceInfo } from "../pipeline/types";
import { datasetFacts, hivePartition, inspectDataset, inspectFiles } from "./parquet-dataset";
import { genReviews, pyJson, tempDir } from "./testing";

// pyarrow's view: rows, files, bytes, and the schema with hive partitions as strings (as Ray does)
const ORACLE = `
import json, os, sys
import pyarrow as pa, pyarrow.dataset as ds
names = {pa.bool_(): "bool", pa.int8(): "int8", pa.int16(): "int16", pa.int32(): "int32", pa.int64(): "int64",
         pa.uint8(): "uint8", pa.uint16(): "uint16", pa.uint32(): "uint32", pa.uint64(): "uint64",
         pa.float32(): "float32", pa.float64(): "float64", pa.string(): "string", pa.large_string(): "string",
         pa.binary(): "binary", pa.date32(): "date32", pa.null(): "null"}
def name(t):
    if t in names: return names[t]
    if pa.types.is_timestamp(t): return "timestamp"
    if pa.types.is_decimal(t): return "decimal"
    if pa.types.is_list(t) or pa.types.is_large_list(t): return "list"
    if pa.types.is_struct(t): return "struct"
    if pa.types.is_fixed_size_binary(t): return "binary"
    return "unknown:" + str(t)
src, keys = sys.argv[1], [k for k in sys.argv[2].split(",") if k]
part = ds.partitioning(pa.schema([(k, pa.string()) for k in keys]), flavor="hive") if keys else None
d = ds.dataset(src, format="parquet", partitioning=part)
print(json.dumps({
  "rows": d.count_rows(), "files": len(d.files), "bytes": sum(os.path.getsize(f) for f in d.files),
  "schema": [{"name": f.name, "type": name(f.type), "nullable": f.nullable} for f in d.schema],
}))
`;
type Oracle = { rows: number; files: number; bytes: number; schema: { name: string; type: string; nullable: boolean }[] };

const ok = async (p: string): Promise<SourceInfo> => {
  const r = await inspectDataset(p);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.info;
};

let tmp: ReturnType<typeof tempDir>;
let reviews: string;

beforeAll(() => {
  tmp = tempDir();
  reviews = path.join(tmp.dir, "reviews");
  genReviews(reviews, 5000, "--files-per-partition", "2", "--seed", "11");
}, 60_000);
afterAll(() => tmp.cleanup());

describe("inspectDataset on the reviews dataset", () => {
  it("matches pyarrow: rows, files, bytes and the schema with the partition column last", async () => {
    const info = await ok(reviews);
    const want = pyJson<Oracle>(ORACLE, reviews, "product_category");
    expect(info.numRows).toBe(want.rows);
    expect(info.numRows).toBe(5000);
    expect(info.files).toBe(want.files);
    expect(info.sizeBytes).toBe(want.bytes);
    expect(info.schema).toEqual(want.schema);
    expect(info.partitionKeys).toEqual(["product_category"]);
    expect(info.path).toBe(reviews);
  });

  it("reports partition directories and their values", async () => {
    const r = await datasetFacts(reviews);
    if (!r.ok) throw new Error(r.message);
    expect(r.facts.partitionCount).toBe(12);
    expect(r.facts.partitionValues.product_category).toContain("Books");
    expect(r.facts.partitionValues.product_category).toEqual([...r.facts.partitionValues.product_category].sort());
    const files = await inspectFiles(reviews);
    if (!files.ok) throw new Error(files.message);
    expect(files.files.map((f) => f.path)).toEqual(files.files.map((f) => f.path).sort());
    expect(files.files.reduce((s, f) => s + f.numRows, 0)).toBe(5000);
    expect(files.files[0].partition).toEqual({ product_category: "Apparel" });
  });

  it("reads a single file, keeping the hive key from its directory like Ray does", async () => {
    const file = path.join(reviews, "product_category=Books", "part-00001.parquet");
    const info = await ok(file);
    const rows = pyJson<number>("import sys, pyarrow.parquet as pq; print(pq.ParquetFile(sys.argv[1]).metadata.num_rows)", file);
    expect(info.numRows).toBe(rows);
    expect(info.files).toBe(1);
    expect(info.partitionKeys).toEqual(["product_category"]);
    expect(info.schema.at(-1)).toEqual({ name: "product_category", type: "string", nullable: true });
  });

  it("expands * and ** globs", async () => {
    const one = await ok(path.join(reviews, "*", "part-00000.parquet"));
    expect(one.files).toBe(12);
    const all = await ok(path.join(reviews, "**", "*.parquet"));
    expect(all.files).toBe(24);
    expect(all.numRows).toBe(5000);
    const books = await ok(path.join(reviews, "product_category=B*"));
    expect(books.files).toBe(4); // Beauty and Books directories, two files each
  });
});

describe("inspectDataset errors", () => {
  it("a missing path is E_SOURCE_NOT_FOUND", async () => {
    const r = await inspectDataset(path.join(tmp.dir, "nope"));
    expect(r).toMatchObject({ ok: false, code: "E_SOURCE_NOT_FOUND" });
    const g = await inspectDataset(path.join(tmp.dir, "nope", "*.parquet"));
    expect(g).toMatchObject({ ok: false, code: "E_SOURCE_NOT_FOUND" });
    const none = await inspectDataset(path.join(reviews, "*", "*.csv"));
    expect(none).toMatchObject({ ok: false, code: "E_SOURCE_NOT_FOUND" });
  });

  it("a text file named .parquet is E_SOURCE_UNREADABLE, also inside a directory", async () => {
    const dir = path.join(tmp.dir, "text");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "x.parquet"), "just some text, definitely not parquet\n");
    const r = await inspectDataset(path.join(dir, "x.parquet"));
    expect(r).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE" });
    expect(!r.ok && r.message).toMatch(/x\.parquet is not a readable parquet file.*PAR1/);
    const d = await inspectDataset(dir);
    expect(d).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE" });
    writeFileSync(path.join(dir, "tiny.parquet"), "PAR1");
    expect(await inspectDataset(path.join(dir, "tiny.parquet"))).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE" });
  });

  it("an empty directory, or one with only non-parquet or hidden files, is E_SOURCE_UNREADABLE", async () => {
    const dir = path.join(tmp.dir, "empty");
    mkdirSync(dir);
    const r = await inspectDataset(dir);
    expect(r).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE" });
    expect(!r.ok && r.message).toMatch(/No \.parquet files/);
    writeFileSync(path.join(dir, "README.txt"), "hi");
    mkdirSync(path.join(dir, "_temporary"));
    copyFileSync(path.join(reviews, "product_category=Books", "part-00000.parquet"), path.join(dir, "_temporary", "a.parquet"));
    expect(await inspectDataset(dir)).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE" });
  });

  it("files with different schemas are E_SOURCE_UNREADABLE naming both files", async () => {
    const dir = path.join(tmp.dir, "mixed");
    pyJson(`
import sys, os, pyarrow as pa, pyarrow.parquet as pq
os.makedirs(sys.argv[1])
pq.write_table(pa.table({"id": pa.array([1, 2], pa.int64()), "v": ["a", "b"]}), sys.argv[1] + "/a.parquet")
pq.write_table(pa.table({"id": pa.array([3], pa.int32()), "v": ["c"]}), sys.argv[1] + "/b.parquet")
print("null")`, dir);
    const r = await inspectDataset(dir);
    expect(r).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE" });
    expect(!r.ok && r.message).toContain("a.parquet and b.parquet");
    expect(!r.ok && r.message).toContain("id int64 vs id int32");
  });

  it("non-local URIs are refused clearly", async () => {
    expect(await inspectDataset("s3://bucket/reviews")).toMatchObject({ ok: false, code: "E_SOURCE_UNREADABLE" });
  });
});

describe("types, files and caching", () => {
  it("maps parquet types the way pyarrow reads them, with nullability from repetition", async () => {
    const file = path.join(tmp.dir, "types.parquet");
    pyJson(`
import sys, datetime, decimal, pyarrow as pa, pyarrow.parquet as pq
t = pa.table({
  "b": pa.array([True], pa.bool_()), "i8": pa.array([1], pa.int8()), "i16": pa.array([1], pa.int16()),
  "u8": pa.array([1], pa.uint8()), "u16": pa.array([1], pa.uint16()), "u32": pa.array([1], pa.uint32()),
  "u64": pa.array([1], pa.uint64()), "f": pa.array([1.5], pa.float32()), "d": pa.array([1.5], pa.float64()),
  "s": pa.array(["x"], pa.large_string()), "bin": pa.array([b"x"], pa.binary()),
  "fbin": pa.array([b"xy"], pa.binary(2)), "dt": pa.array([datetime.date(2020, 1, 2)], pa.date32()),
  "ts": pa.array([datetime.datetime(2020, 1, 2)], pa.timestamp("us")),
  "tsz": pa.array([datetime.datetime(2020, 1, 2)], pa.timestamp("ms", tz="UTC")),
  "dec": pa.array([decimal.Decimal("1.25")], pa.decimal128(10, 2)),
  "lst": pa.array([[1, 2]], pa.list_(pa.int64())),
  "st": pa.array([{"a": 1, "b": "x"}], pa.struct([("a", pa.int64()), ("b", pa.string())])),
  "dict": pa.array(["x"]).dictionary_encode(),
  "n": pa.array([None], pa.null()),
}, schema=None)
t = t.cast(t.schema.set(0, pa.field("b", pa.bool_(), nullable=False)))
pq.write_table(t, sys.argv[1])
print("null")`, file);
    const info = await ok(file);
    const want = pyJson<Oracle>(ORACLE, file, "");
    expect(info.schema).toEqual(want.schema.map((c) => (c.name === "dict" ? { ...c, type: "string" } : c)));
    expect(info.schema[0]).toEqual({ name: "b", type: "bool", nullable: false });
  });

  it("sees a rewritten file (new size/mtime) on the next inspection", async () => {
    const dir = path.join(tmp.dir, "rewrite");
    const write = (n: number) =>
      pyJson(`import sys, os, pyarrow as pa, pyarrow.parquet as pq
os.makedirs(sys.argv[1], exist_ok=True)
pq.write_table(pa.table({"x": list(range(int(sys.argv[2])))}), sys.argv[1] + "/p.parquet")
print("null")`, dir, String(n));
    write(10);
    expect((await ok(dir)).numRows).toBe(10);
    expect((await ok(dir)).numRows).toBe(10); // served from the footer cache
    write(25);
    utimesSync(path.join(dir, "p.parquet"), new Date(), new Date(Date.now() + 5000));
    expect((await ok(dir)).numRows).toBe(25);
  });

  it("handles thousands of files in many partition directories", async () => {
    const dir = path.join(tmp.dir, "many");
    pyJson(`
import sys, os, shutil, pyarrow as pa, pyarrow.parquet as pq
root = sys.argv[1]
os.makedirs(root)
seed = os.path.join(root, "_seed.parquet")
pq.write_table(pa.table({"x": pa.array(range(3), pa.int64())}), seed)
for d in range(50):
    sub = os.path.join(root, f"day=2024-01-{d:02d}", f"hour={d % 4}")
    os.makedirs(sub)
    for f in range(40):
        shutil.copyfile(seed, os.path.join(sub, f"part-{f:03d}.parquet"))
os.remove(seed)
print("null")`, dir);
    const r = await datasetFacts(dir);
    if (!r.ok) throw new Error(r.message);
    const facts = r.facts;
    expect(facts.info.files).toBe(2000);
    expect(facts.info.numRows).toBe(6000);
    expect(facts.info.partitionKeys).toEqual(["day", "hour"]);
    expect(facts.partitionCount).toBe(50);
    expect(facts.partitionValues.day).toHaveLength(20); // capped
    expect(facts.partitionValues.hour).toEqual(["0", "1", "2", "3"]);
    const want = pyJson<Oracle>(ORACLE, dir, "day,hour");
    expect(facts.info.schema).toEqual(want.schema);
    expect(facts.info.sizeBytes).toBe(want.bytes);
  }, 60_000);
});

describe("hivePartition", () => {
  it("parses key=value directories, URL-decoded, skipping segments with two '='", () => {
    expect(hivePartition("/d/a=1/b=x%20y/c=1=2/f.parquet")).toEqual({ a: "1", b: "x y" });
    expect(hivePartition("/d/plain/f.parquet")).toEqual({});
    expect(hivePartition("/d/k=100%/f.parquet")).toEqual({ k: "100%" });
  });
});
