import { describe, expect, it } from "vitest";
import { globDepth, globToRegExp, hasGlob, splitGlob } from "./glob";

describe("glob", () => {
  it("splits the static base from the pattern", () => {
    expect(splitGlob("/d/reviews/*/x.parquet")).toEqual({ base: "/d/reviews", pattern: "*/x.parquet" });
    expect(splitGlob("/*.parquet")).toEqual({ base: "/", pattern: "*.parquet" });
    expect(splitGlob("*.parquet")).toEqual({ base: ".", pattern: "*.parquet" });
    expect(hasGlob("/d/reviews")).toBe(false);
  });

  it("matches * and ? within a segment and ** across directories", () => {
    const star = globToRegExp("*/part-?.parquet");
    expect(star.test("a=1/part-0.parquet")).toBe(true);
    expect(star.test("a=1/b/part-0.parquet")).toBe(false);
    expect(star.test("a=1/part-10.parquet")).toBe(false);
    const deep = globToRegExp("**/*.parquet");
    expect(deep.test("x.parquet")).toBe(true);
    expect(deep.test("a/b/c/x.parquet")).toBe(true);
    expect(deep.test("a/b/x.csv")).toBe(false);
    expect(globToRegExp("a.b/(x)+*.parquet").test("a.b/(x)+1.parquet")).toBe(true);
    expect(globToRegExp("a.b/*").test("axb/1")).toBe(false);
  });

  it("knows how deep a pattern reaches", () => {
    expect(globDepth("*/x.parquet")).toBe(2);
    expect(globDepth("a/**/x.parquet")).toBe(Infinity);
  });
});
