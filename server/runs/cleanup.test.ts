import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serializeDocument } from "../pipeline";
import { reviewsPipeline } from "../pipeline/test-fixtures";
import { cleanupRunOutputs, localWriteTargets } from "./cleanup";

function docWriting(p: string): string {
  const doc = reviewsPipeline();
  return serializeDocument({ ...doc, nodes: doc.nodes.map((n) => (n.kind === "write" ? { ...n, params: { ...n.params, path: p } } : n)) as typeof doc.nodes });
}

describe("cleanupRunOutputs", () => {
  it("removes the run's staging dir beside a local target, and only that run's", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "etl-cleanup-"));
    fs.mkdirSync(path.join(base, "out", "reviews"), { recursive: true });
    fs.writeFileSync(path.join(base, "out", "reviews", "part-0.parquet"), "previous");
    for (const run of ["r1", "r2"]) fs.mkdirSync(path.join(base, "out", `.reviews.etl-staging-${run}`));
    const report = cleanupRunOutputs(docWriting("out/reviews"), "r1", base);
    expect(report.removed).toEqual([path.join(base, "out", ".reviews.etl-staging-r1")]);
    expect(fs.readdirSync(path.join(base, "out")).sort()).toEqual([".reviews.etl-staging-r2", "reviews"]);
    expect(cleanupRunOutputs(docWriting("out/reviews"), "r1", base)).toEqual({ removed: [], restored: [] });
  });

  it("puts back a previous output an interrupted overwrite had moved aside", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "etl-cleanup-"));
    fs.mkdirSync(path.join(base, "out", ".reviews.etl-old-r1"), { recursive: true });
    const report = cleanupRunOutputs(docWriting("out/reviews"), "r1", base);
    expect(report.restored).toEqual([path.join(base, "out", "reviews")]);
    expect(fs.existsSync(path.join(base, "out", "reviews"))).toBe(true);
  });

  it("leaves remote targets to the runtime", () => {
    expect(localWriteTargets(docWriting("s3://bucket/out"), "/base")).toEqual([]);
    expect(localWriteTargets(docWriting("out/x"), "/base")).toEqual(["/base/out/x"]);
  });
});
