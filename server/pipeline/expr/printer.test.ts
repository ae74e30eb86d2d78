// Tests for the canonical printer, including a round-trip property over random trees.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BinaryOp, Expr } from "./ast";
import { parseExpr } from "./parser";
import { printExpr, quoteColumn, quoteString } from "./printer";

const R = [0, 0] as const;

/** Random expression trees, including awkward names, strings and nesting. */
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      fc.constantFrom("a", "total_votes", "end", "review date", "a`b", "Year", "x1", "é").map((name): Expr => ({ kind: "column", name, range: R })),
      fc.nat({ max: 10_000 }).map((n): Expr => ({ kind: "literal", type: "int", value: n, text: String(n), range: R })),
      fc.constantFrom("1.5", ".5", "1e3", "2.0").map((t): Expr => ({ kind: "literal", type: "float", value: Number(t), text: t, range: R })),
      fc.string().map((s): Expr => ({ kind: "literal", type: "string", value: s, text: "", range: R })),
      fc.boolean().map((b): Expr => ({ kind: "literal", type: "bool", value: b, text: String(b), range: R })),
      fc.constant<Expr>({ kind: "literal", type: "null", value: null, text: "null", range: R }),
    ),
    fc.record({ op: fc.constantFrom<"-" | "not">("-", "not"), operand: tie("e") }).map((u): Expr => ({ kind: "unary", ...u, range: R })),
    fc.record({
      op: fc.constantFrom<BinaryOp>("+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "and", "or"),
      left: tie("e"), right: tie("e"),
    }).map((b): Expr => ({ kind: "binary", ...b, range: R })),
    fc.record({ negated: fc.boolean(), operand: tie("e") }).map((n): Expr => ({ kind: "is-null", ...n, range: R })),
    fc.record({ name: fc.constantFrom("round", "coalesce", "concat"), args: fc.array(tie("e"), { maxLength: 3 }) })
      .map((c): Expr => ({ kind: "call", ...c, range: R, nameRange: R })),
    fc.record({ operand: tie("e"), to: fc.constantFrom("int64", "float64", "string", "date32", "bool", "timestamp") } as const)
      .map((c): Expr => ({ kind: "cast", ...c, range: R })),
    fc.record({
      branches: fc.array(fc.record({ when: tie("e"), then: tie("e") }), { minLength: 1, maxLength: 2 }),
      otherwise: fc.option(tie("e"), { nil: null }),
    }).map((c): Expr => ({ kind: "case", ...c, range: R })),
  ),
})).e;

/** Tree without ranges or literal source text, for structural comparison. */
function strip(e: Expr): unknown {
  return JSON.parse(JSON.stringify(e, (k, v) => (k === "range" || k === "nameRange" || k === "text" ? undefined : v)));
}

describe("printExpr", () => {
  it("round-trips every tree through parseExpr", () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const text = printExpr(e);
        const { expr, errors } = parseExpr(text);
        expect(errors).toEqual([]);
        expect(strip(expr!)).toEqual(strip(e));
        expect(printExpr(expr!)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("adds only the parentheses precedence needs", () => {
    const cases: [string, string][] = [
      ["a - (b - c)", "a - (b - c)"],
      ["(a - b) - c", "a - b - c"],
      ["-(a + b)", "-(a + b)"],
      ["(a = b) = c", "(a = b) = c"],
      ["not (a and b)", "not (a and b)"],
      ["(a or b) and c", "(a or b) and c"],
      ["(not a) is null", "(not a) is null"],
      ["a = (not b)", "a = (not b)"],
    ];
    for (const [input, printed] of cases) expect(printExpr(parseExpr(input).expr!)).toBe(printed);
  });

  it("quotes names that are not bare identifiers or are reserved", () => {
    expect(["total_votes", "review date", "end", "a`b", "1st"].map(quoteColumn)).toEqual([
      "total_votes", "`review date`", "`end`", "`a``b`", "`1st`",
    ]);
  });

  it("escapes strings", () => {
    expect(quoteString("it's\n\\ \u0001")).toBe("'it\\'s\\n\\\\ \\u0001'");
  });
});
