// A 500-node chain compiles (no timing assertion here: benchmarks live apart). Guards against
// accidental quadratic work and deep recursion, and checks the source map covers every node.
import { describe, expect, it } from "vitest";
import { PipelineDocumentSchema } from "../pipeline/schema";
import { reviewsSource } from "../pipeline/test-fixtures";
import { compile } from "./index";

/** read -> (add-column, drop, sort, udf-filter, python add-column) repeated -> write: `n` nodes. */
function chainPipeline(n: number) {
  const nodes: unknown[] = [{ id: "read", kind: "read-parquet", params: { path: "data/reviews" } }];
  let prev = "total_votes";
  for (let i = 1; i < n - 1; i++) {
    const id = `n${i}`;
    switch (i % 5) {
      case 1:
        nodes.push({ id, kind: "add-column", params: { column: `c${i}`, expression: `${prev} + 1` } });
        prev = `c${i}`;
        break;
      case 2:
        nodes.push({ id, kind: "drop-columns", params: { columns: i > 5 ? [`c${i - 6}`] : ["review_body"] } });
        break;
      case 3:
        nodes.push({ id, kind: "sort", params: { keys: [{ column: prev, descending: i % 2 === 0 }] } });
        break;
      case 4:
        nodes.push({ id, kind: "udf-filter", params: { source: "def keep(batch):\n    return batch\n" } });
        break;
      default:
        nodes.push({ id, kind: "add-column", params: { column: `p${i}`, mode: "python", source: "def compute(batch):\n    return 1\n", outputType: "int64" } });
    }
  }
  nodes.push({ id: "out", kind: "write", params: { path: "out/chain", format: "parquet", mode: "overwrite" } });
  const ids = nodes.map((x) => (x as { id: string }).id);
  return PipelineDocumentSchema.parse({
    schemaVersion: 1, id: "chain", name: "chain", nodes,
    edges: ids.slice(1).map((target, i) => ({ source: ids[i], target })),
  });
}

describe("large pipelines", () => {
  it("compiles a 500-node chain with a source map entry per node", () => {
    const doc = chainPipeline(500);
    const python = Object.fromEntries(doc.nodes.filter((x) => x.kind === "udf-filter" || x.kind === "add-column").map((x) => [x.id, { ok: true as const }]));
    const out = compile(doc, { sources: { read: reviewsSource() }, python });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(Object.keys(out.sourceMap)).toHaveLength(500);
    expect(out.python!.split("\n").length).toBeGreaterThan(1000);
  });
});
