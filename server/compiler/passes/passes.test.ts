// The optimisation passes on hand-built IRs: explain() before/after, never mutating the input.
import { describe, expect, it } from "vitest";
import type { Column, Schema } from "../../pipeline/types";
import { analyzeExpr } from "../../pipeline/expr";
import { freezeIr, sinkChains, type Ir, type Op } from "../ir";
import { explain, runPasses } from "./index";
import { projectionPushdown } from "./projection-pushdown";
import { hoistFilters } from "./hoist-filters";

const S = (...names: string[]): Schema => names.map((name): Column => ({ name, type: "int64", nullable: true }));
const ABC = S("a", "b", "c");
const tasks = { strategy: "tasks" as const, minSize: 1, maxSize: 2 };
const base = (nodeId: string, input: string | null, schema: Schema) => ({ nodeId, input, schema, label: null, notes: [] as string[] });

const read = (id: string, schema = ABC, columns: string[] | null = null): Op => ({
  ...base(id, null, schema), kind: "read", path: "data/x", columns, userColumns: columns, partitioning: "hive",
});
const withCol = (id: string, input: string, inSchema: Schema, column: string, text: string): Op => {
  const { typed } = analyzeExpr(text, inSchema);
  if (!typed) throw new Error(text);
  return { ...base(id, input, [...inSchema, ...S(column)]), kind: "with-column", column, expr: typed, text };
};
const drop = (id: string, input: string, inSchema: Schema, columns: string[]): Op => ({
  ...base(id, input, inSchema.filter((c) => !columns.includes(c.name))), kind: "drop", columns,
});
const sort = (id: string, input: string, schema: Schema, column = "a"): Op => ({ ...base(id, input, schema), kind: "sort", keys: [{ column, descending: true }] });
const filter = (id: string, input: string, schema: Schema, reads: string[] | null = null): Op => ({
  ...base(id, input, schema), kind: "udf-filter", source: "def keep(b):\n    return b\n", reads, compute: tasks, batchSize: null,
});
const python = (id: string, input: string, inSchema: Schema, column: string): Op => ({
  ...base(id, input, [...inSchema, ...S(column)]), kind: "python-column", column, source: "", outputType: "bool", compute: tasks, batchSize: null,
});
const write = (id: string, input: string, schema: Schema): Op => ({ ...base(id, input, schema), kind: "write", path: `out/${id}`, format: "parquet", mode: "error" });

const irOf = (...ops: Op[]): Ir => freezeIr({ pipelineId: "p", pipelineName: "P", schemaVersion: 1, version: null, schemasKnown: true, ops });

describe("projection pushdown", () => {
  it("reads only needed columns and turns a drop of unread columns into a no-op", () => {
    const ir = irOf(read("r"), drop("d", "r", ABC, ["c"]), write("w", "d", S("a", "b")));
    expect(explain(projectionPushdown(ir))).toBe(
      [
        "r: read data/x [a, b]  # projection pushdown",
        "d <- r: drop []  # c never read (projection pushdown)",
        "w <- d: write parquet out/w mode=error",
      ].join("\n"),
    );
  });

  it("keeps a drop whose column another branch still reads", () => {
    const ir = irOf(read("r"), drop("d", "r", ABC, ["c"]), write("w1", "d", S("a", "b")), write("w2", "r", ABC));
    const out = projectionPushdown(ir);
    expect(explain(out)).toContain("r: read data/x [all columns]");
    expect(explain(out)).toContain("d <- r: drop [c]");
    expect(out.ops[0]).toBe(ir.ops[0]); // the read is unchanged
  });

  it("follows expression inputs through an added column that is later dropped", () => {
    const x = withCol("x", "r", ABC, "x", "a + b");
    const ir = irOf(read("r"), x, drop("d", "x", [...ABC, ...S("x")], ["a", "b", "c"]), write("w", "d", S("x")));
    expect(explain(projectionPushdown(ir)).split("\n")).toEqual([
      "r: read data/x [a, b]  # projection pushdown",
      "x <- r: with-column x = a + b (reads [a, b])",
      "d <- x: drop [a, b]  # c never read (projection pushdown)",
      "w <- d: write parquet out/w mode=error",
    ]);
  });

  it("keeps one column when nothing is read, so the row count survives", () => {
    const x = withCol("x", "r", ABC, "x", "1");
    const ir = irOf(read("r"), x, drop("d", "x", [...ABC, ...S("x")], ["a", "b", "c"]), write("w", "d", S("x")));
    const out = projectionPushdown(ir);
    expect(explain(out)).toContain("r: read data/x [a]");
    expect(explain(out)).toContain("d <- x: drop [a]  # b, c never read (projection pushdown)");
  });

  it("sort keys and Python UDFs keep what they need", () => {
    const ir = irOf(
      read("r"), drop("d1", "r", ABC, ["c"]), sort("s", "d1", S("a", "b"), "b"), drop("d2", "s", S("a", "b"), ["b"]),
      python("p", "d2", S("a"), "z"), write("w", "p", S("a", "z")),
    );
    const out = projectionPushdown(ir);
    expect(explain(out)).toContain("r: read data/x [a, b]");
    expect(explain(out)).toContain("d2 <- s: drop [b]");
    expect(out.ops.find((o) => o.nodeId === "w")!.schema.map((c) => c.name)).toEqual(["a", "z"]);
  });

  it("is idempotent and does not mutate its input", () => {
    const ir = irOf(read("r"), drop("d", "r", ABC, ["c"]), write("w", "d", S("a", "b")));
    const before = JSON.stringify(ir);
    const once = projectionPushdown(ir);
    expect(explain(projectionPushdown(once))).toBe(explain(once));
    expect(JSON.stringify(ir)).toBe(before);
  });

  it("narrows a user's column subset further", () => {
    const ir = irOf(read("r", S("a", "b"), ["a", "b"]), drop("d", "r", S("a", "b"), ["b"]), write("w", "d", S("a")));
    expect(explain(projectionPushdown(ir))).toContain("r: read data/x [a]  # projection pushdown");
  });
});

describe("hoist filters", () => {
  it("moves a filter that directly follows a sort, rewiring consumers", () => {
    const ir = irOf(read("r"), sort("s", "r", ABC), filter("f", "s", ABC), write("w", "f", ABC));
    const out = hoistFilters(ir);
    expect(explain(out).split("\n")).toEqual([
      "r: read data/x [all columns]",
      "f <- r: udf-filter on tasks  # moved before the sort: filters are row-wise",
      "s <- f: sort [a desc]",
      "w <- s: write parquet out/w mode=error",
    ]);
    expect(sinkChains(out)).toEqual({ w: ["r", "f", "s", "w"] });
    expect(explain(ir)).toContain("f <- s");
  });

  it("moves a run of filters past the sort", () => {
    const ir = irOf(read("r"), sort("s", "r", ABC), filter("f1", "s", ABC), filter("f2", "f1", ABC), write("w", "f2", ABC));
    expect(sinkChains(runPasses(ir))).toEqual({ w: ["r", "f1", "f2", "s", "w"] });
  });

  it("leaves a sort that feeds two consumers alone", () => {
    const ir = irOf(read("r"), sort("s", "r", ABC), filter("f", "s", ABC), write("w1", "f", ABC), write("w2", "s", ABC));
    expect(hoistFilters(ir)).toBe(ir);
  });

  it("does not move a filter past a Python column (it may read it)", () => {
    const ir = irOf(read("r"), sort("s", "r", ABC), python("p", "s", ABC, "z"), filter("f", "p", S("a", "b", "c", "z")), write("w", "f", S("a", "b", "c", "z")));
    expect(hoistFilters(ir)).toBe(ir);
  });

  it("moves a filter past a Python column it provably does not read, then past the sort", () => {
    const withZ = S("a", "b", "c", "z");
    const ir = irOf(read("r"), sort("s", "r", ABC), python("p", "s", ABC, "z"), filter("f", "p", withZ, ["a"]), write("w", "f", withZ));
    const out = hoistFilters(ir);
    expect(sinkChains(out)).toEqual({ w: ["r", "f", "s", "p", "w"] });
    expect(explain(out)).toContain("f <- r: udf-filter on tasks  # moved before p: keep() does not read z; moved before the sort: filters are row-wise");
  });

  it("keeps a filter after a Python column it reads, or when its reads are unknown", () => {
    const withZ = S("a", "b", "c", "z");
    for (const reads of [["z"], null]) {
      const ir = irOf(read("r"), python("p", "r", ABC, "z"), filter("f", "p", withZ, reads), write("w", "f", withZ));
      expect(hoistFilters(ir)).toBe(ir);
    }
  });

  it("handles branches between the swapped ops", () => {
    const ir = irOf(read("r"), sort("s", "r", ABC), write("w0", "r", ABC), filter("f", "s", ABC), write("w", "f", ABC));
    const out = runPasses(ir);
    expect(sinkChains(out)).toEqual({ w0: ["r", "w0"], w: ["r", "f", "s", "w"] });
  });
});
