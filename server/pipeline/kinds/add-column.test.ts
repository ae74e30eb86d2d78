// Tests for the add-column kind in expression and python modes.
import { describe, expect, it } from "vitest";
import { NodeSchema } from "../schema";
import { REVIEWS_SCHEMA } from "../test-fixtures";
import { addColumn } from "./add-column";

type AddNode = Parameters<typeof addColumn.outputSchema>[0];
const node = (params: object) => NodeSchema.parse({ id: "ratio", kind: "add-column", params }) as AddNode;
const run = (params: object, input = REVIEWS_SCHEMA, ctx = {}) => addColumn.outputSchema(node(params), input, ctx);
const codes = (params: object, input = REVIEWS_SCHEMA, ctx = {}) => run(params, input, ctx).diagnostics.map((d) => d.code);
const PY = "import math\n\ndef compute(batch):\n    return batch['total_votes'] < 100\n";

describe("add-column (expression)", () => {
  it("appends the typed column and returns the checked expression", () => {
    const r = run({ column: "helpful_ratio", expression: "helpful_votes / total_votes" });
    expect(r.diagnostics).toEqual([]);
    expect(r.schema!.at(-1)).toEqual({ name: "helpful_ratio", type: "float64", nullable: true });
    expect(r.schema).toHaveLength(REVIEWS_SCHEMA.length + 1);
    expect(r.typed?.columns).toEqual(["helpful_votes", "total_votes"]);
  });

  it("turns expression errors into diagnostics on the expression field, with ranges", () => {
    expect(run({ column: "x", expression: "reviw_body" }).diagnostics).toEqual([{
      code: "E_COLUMN_UNKNOWN", severity: "error", nodeId: "ratio", field: "expression", range: [0, 10],
      message: "Unknown column 'reviw_body'", hint: "Did you mean 'review_body'?",
    }]);
    expect(codes({ column: "x", expression: "round(total_votes" })).toEqual(["E_EXPR_PARSE"]);
    expect(codes({ column: "x", expression: "" })).toEqual(["E_EXPR_EMPTY"]);
  });

  it("reports parse errors even when the input is unknown, but skips type checks", () => {
    expect(run({ column: "x", expression: "a +" }, null as never).diagnostics.map((d) => d.code)).toEqual(["E_EXPR_PARSE"]);
    expect(run({ column: "x", expression: "nope + 1" }, null as never)).toEqual({ schema: null, diagnostics: [] });
  });

  it("requires a new, non-empty name", () => {
    expect(codes({ column: " ", expression: "1" })).toEqual(["E_COLUMN_NAME_EMPTY"]);
    expect(codes({ column: "year", expression: "1" })).toEqual(["E_COLUMN_EXISTS"]);
  });

  it("summarises with the canonical expression", () => {
    expect(addColumn.summary({ ...addColumn.defaults(), column: "r", expression: "A/B" })).toBe("r = A / B");
    expect(addColumn.summary({ ...addColumn.defaults(), column: "r", expression: "A/" })).toBe("r = A/");
  });
});

describe("add-column (python)", () => {
  const py = (extra: object) => ({ column: "low_votes", mode: "python", outputType: "bool", source: PY, ...extra });

  it("appends a nullable column of the declared type", () => {
    const r = run(py({}));
    expect(r.diagnostics).toEqual([]);
    expect(r.schema!.at(-1)).toEqual({ name: "low_votes", type: "bool", nullable: true });
    expect(r.typed).toBeUndefined();
  });

  it("requires source defining compute() at the start of a line", () => {
    expect(codes(py({ source: "" }))).toEqual(["E_UDF_EMPTY"]);
    expect(codes(py({ source: "def keep(batch):\n    return batch" }))).toEqual(["E_UDF_NO_COMPUTE"]);
    expect(codes(py({ source: "  def compute(batch):\n    pass" }))).toEqual(["E_UDF_NO_COMPUTE"]);
    expect(codes(py({ source: "x = 1\ndef  compute (batch):\n    pass" }))).toEqual([]);
  });

  it("reports the server's Python syntax check with its line", () => {
    const r = run(py({}), REVIEWS_SCHEMA, { python: { ratio: { ok: false, line: 3, message: "invalid syntax" } } });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: "E_PY_SYNTAX", line: 3, field: "source",
      message: "Python syntax error on line 3: invalid syntax" })]);
  });

  it("checks compute settings", () => {
    expect(codes(py({ compute: { strategy: "actors", minSize: 0, maxSize: 2 } }))).toEqual(["E_COMPUTE_INVALID"]);
    expect(codes(py({ compute: { strategy: "actors", minSize: 3, maxSize: 2 } }))).toEqual(["E_COMPUTE_INVALID"]);
    expect(codes(py({ compute: { strategy: "tasks", minSize: 0, maxSize: 0 } }))).toEqual([]);
    expect(run(py({ batchSize: 0 })).diagnostics[0]).toMatchObject({ code: "E_COMPUTE_INVALID", field: "batchSize" });
  });

  it("ignores the expression and python checks of the other mode", () => {
    expect(codes({ column: "x", expression: "1", source: "", compute: { strategy: "actors", minSize: 0, maxSize: 0 } })).toEqual([]);
    expect(codes(py({ expression: "((" }))).toEqual([]);
  });

  it("summarises type and compute", () => {
    expect(addColumn.summary({ ...addColumn.defaults(), column: "f", mode: "python", outputType: "bool",
      compute: { strategy: "actors", minSize: 1, maxSize: 4 } })).toBe("f: bool = python compute(batch), actor pool 1-4");
  });
});
