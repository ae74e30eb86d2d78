// Emitter details not pinned by the goldens: constant naming, file names, writer layout.
import { describe, expect, it } from "vitest";
import { scriptFileName, sourceConstNames } from "./ray";
import { dsVar, opComment } from "./ray-ops";
import { PythonWriter, wrapDict, wrapList } from "./python-writer";

describe("names", () => {
  it("upper-cases UDF source constants unless two ids differ only by case", () => {
    expect([...sourceConstNames(["keep", "flag"]).values()]).toEqual(["KEEP_SOURCE", "FLAG_SOURCE"]);
    expect([...sourceConstNames(["flag", "Flag", "keep"]).values()]).toEqual(["flag_SOURCE", "Flag_SOURCE", "KEEP_SOURCE"]);
  });

  it("asserts node ids are identifiers", () => {
    expect(dsVar("sort_2")).toBe("ds_sort_2");
    expect(() => dsVar("2sort")).toThrow();
    expect(() => dsVar("a-b")).toThrow();
    expect(() => dsVar("a\nimport os")).toThrow();
  });

  it("suggests a file name only when the pipeline id is a plain one", () => {
    expect(scriptFileName("reviews")).toBe("reviews.py");
    expect(scriptFileName("../etc/passwd")).toBe("pipeline.py");
    expect(scriptFileName("a b")).toBe("pipeline.py");
  });

  it("keeps user text in comments on one line", () => {
    const comment = opComment({
      kind: "write", nodeId: "out", label: "line\nbreak\u2028", input: "x", schema: [], notes: [],
      path: "out/\r\n#x", format: "csv", mode: "append",
    });
    expect(comment).toBe("# [out] write 'line\\nbreak\\u2028' csv to out/\\r\\n#x (mode append, staged then committed)");
  });
});

describe("PythonWriter", () => {
  it("indents, counts lines and records spans", () => {
    const w = new PythonWriter();
    w.line("def build(run):");
    w.indented(() => {
      w.span("a", () => w.line("# [a]").line("x = (\n    1\n)"));
      w.span("b", () => w.line("y = 2"));
    });
    expect(w.text()).toBe("def build(run):\n    # [a]\n    x = (\n        1\n    )\n    y = 2\n");
    expect(w.ranges()).toEqual({ a: [2, 5], b: [6, 6] });
  });

  it("wraps long calls one argument per line", () => {
    const w = new PythonWriter();
    w.call("f(", ["a"], ")").call("g(", ["x".repeat(60), "y".repeat(60)], ")");
    expect(w.text()).toBe(`f(a)\ng(\n    ${"x".repeat(60)},\n    ${"y".repeat(60)},\n)\n`);
  });

  it("wraps long lists and dicts", () => {
    expect(wrapList(['"a"', '"b"'])).toBe('["a", "b"]');
    const long = Array.from({ length: 30 }, (_, i) => `"column_${i}"`);
    const text = wrapList(long);
    expect(text.startsWith("[\n    ")).toBe(true);
    expect(text.split("\n").every((l) => l.length <= 100)).toBe(true);
    expect(wrapDict(long.map((k) => `${k}: 1`)).split("\n")).toHaveLength(32);
  });
});
