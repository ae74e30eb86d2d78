// Tests for path normalisation and write/read path conflicts.
import { describe, expect, it } from "vitest";
import { PipelineDocumentSchema } from "./schema";
import { checkWritePathConflicts, normalizePath } from "./write-conflicts";

const doc = (reads: string[], writes: string[]) => PipelineDocumentSchema.parse({
  schemaVersion: 1,
  nodes: [
    ...reads.map((path, i) => ({ id: `r${i}`, kind: "read-parquet", params: { path } })),
    ...writes.map((path, i) => ({ id: `w${i}`, kind: "write", params: { path } })),
  ],
  edges: [],
});
const conflicts = (reads: string[], writes: string[]) => checkWritePathConflicts(doc(reads, writes)).map((d) => d.nodeId);

describe("normalizePath", () => {
  it.each([
    ["./out//reviews/", "out/reviews"],
    ["out/x/../reviews", "out/reviews"],
    ["  /data/./reviews  ", "/data/reviews"],
    ["/../a", "/a"],
    ["../a/b/..", "../a"],
    ["S3://bucket/x//y/", "s3://bucket/x/y"],
    ["file:///tmp/x", "/tmp/x"],
  ])("%s -> %s", (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });
});

describe("checkWritePathConflicts", () => {
  it("flags every write of a shared target", () => {
    expect(conflicts([], ["out/a", "./out/a/", "out/b"])).toEqual(["w0", "w1"]);
  });

  it("flags writes nested in another write's output", () => {
    expect(conflicts([], ["out", "out/a"]).sort()).toEqual(["w0", "w1"]);
    expect(conflicts([], ["s3://b/out", "s3://b/out2"])).toEqual([]);
  });

  it("flags writes onto, inside or above what is read", () => {
    expect(conflicts(["data/reviews"], ["data/reviews/"])).toEqual(["w0"]);
    expect(conflicts(["data/reviews"], ["data/reviews/out"])).toEqual(["w0"]);
    expect(conflicts(["data/reviews/part=1"], ["data/reviews"])).toEqual(["w0"]);
    expect(conflicts(["data/reviews"], ["data/reviews2"])).toEqual([]);
  });

  it("treats a glob read as reading its folder's matching files only", () => {
    expect(conflicts(["data/*.parquet"], ["data/out"])).toEqual([]);
    expect(conflicts(["data/x/*.parquet"], ["data"])).toEqual(["w0"]);
    expect(conflicts(["data/x/*.parquet"], ["data/x"])).toEqual(["w0"]);
  });

  it("ignores empty paths (reported as E_PATH_MISSING elsewhere)", () => {
    expect(conflicts([""], ["", " "])).toEqual([]);
  });

  it("explains the conflict", () => {
    const [d] = checkWritePathConflicts(doc(["data/reviews"], ["./data/reviews"]));
    expect(d).toMatchObject({ code: "E_WRITE_PATH_CONFLICT", field: "path", message: "Write 'w0' target 'data/reviews' is the path read by 'r0'" });
  });
});
