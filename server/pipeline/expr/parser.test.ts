// Tests for the expression parser: precedence, forms and syntax errors with ranges.
import { describe, expect, it } from "vitest";
import { parseExpr } from "./parser";
import { printExpr } from "./printer";

/** Fully parenthesised form, to pin the tree shape without ranges. */
function shape(text: string): string {
  const { expr, errors } = parseExpr(text);
  if (!expr) throw new Error(errors.map((e) => e.message).join("; "));
  const s = (e: typeof expr): string => {
    switch (e.kind) {
      case "column": return e.name;
      case "literal": return e.type === "string" ? `'${e.value}'` : String(e.value);
      case "unary": return `(${e.op} ${s(e.operand)})`;
      case "binary": return `(${s(e.left)} ${e.op} ${s(e.right)})`;
      case "is-null": return `(${s(e.operand)} is ${e.negated ? "not " : ""}null)`;
      case "call": return `${e.name}(${e.args.map(s).join(", ")})`;
      case "cast": return `cast(${s(e.operand)} as ${e.to})`;
      case "case": return `case(${e.branches.map((b) => `${s(b.when)}:${s(b.then)}`).join(" ")}${e.otherwise ? ` else ${s(e.otherwise)}` : ""})`;
    }
  };
  return s(expr);
}

describe("parseExpr precedence", () => {
  it.each([
    ["a + b * c", "(a + (b * c))"],
    ["a - b - c", "((a - b) - c)"],
    ["a / b % c", "((a / b) % c)"],
    ["-a * b", "((- a) * b)"],
    ["- -a", "(- (- a))"],
    ["a or b and c", "(a or (b and c))"],
    ["not a and b", "((not a) and b)"],
    ["not a = b", "(not (a = b))"],
    ["a = b and c <> d", "((a = b) and (c != d))"],
    ["a + 1 is null", "((a + 1) is null)"],
    ["a = b is not null", "(a = (b is not null))"],
    ["(a + b) * c", "((a + b) * c)"],
    ["a == 1", "(a = 1)"],
    ["A AND NOT B OR C", "((A and (not B)) or C)"],
    ["x IS NOT NULL", "(x is not null)"],
  ])("%s", (text, expected) => {
    expect(shape(text)).toBe(expected);
  });
});

describe("parseExpr forms", () => {
  it("reads keywords case-insensitively", () => {
    expect(shape("TRUE or False or NULL")).toBe("((true or false) or null)");
  });

  it("reads backquoted names as columns even when they look like keywords", () => {
    expect(shape("`end` + `review date`")).toBe("(end + review date)");
  });

  it("reads function calls with lower-cased names", () => {
    expect(shape("ROUND(helpful_votes / total_votes, 2)")).toBe("round((helpful_votes / total_votes), 2)");
    expect(shape("concat()")).toBe("concat()");
  });

  it("maps cast type names to Arrow types", () => {
    expect(shape("cast(a as int)")).toBe("cast(a as int64)");
    expect(shape("CAST(a AS Float)")).toBe("cast(a as float64)");
    expect(shape("cast(a as date)")).toBe("cast(a as date32)");
  });

  it("parses if() into a case", () => {
    expect(shape("if(a > 1, 'x', 'y')")).toBe("case((a > 1):'x' else 'y')");
  });

  it("parses case with several branches and no else", () => {
    expect(shape("case when a then 1 when b then 2 end")).toBe("case(a:1 b:2)");
  });

  it("keeps a column named like a function when not called", () => {
    expect(shape("year + 1")).toBe("(year + 1)");
    expect(shape("year(review_date)")).toBe("year(review_date)");
  });

  it("records ranges of nodes and function names", () => {
    const { expr } = parseExpr("  round(x, 2)");
    expect(expr).toMatchObject({ kind: "call", range: [2, 13], nameRange: [2, 7] });
  });

  it("keeps the exact text of integer literals", () => {
    const { expr } = parseExpr("9223372036854775807");
    expect(expr).toMatchObject({ kind: "literal", type: "int", text: "9223372036854775807" });
  });
});

describe("parseExpr errors", () => {
  it.each([
    ["round(x, 2", "E_EXPR_PARSE", "Expected ')' after arguments of round", [10, 10]],
    ["round(x 2)", "E_EXPR_PARSE", "Expected ')' after arguments of round", [8, 9]],
    ["(a + b", "E_EXPR_PARSE", "Expected ')' to close '(' but found the end of the expression", [6, 6]],
    ["a +", "E_EXPR_PARSE", "Expected a value but found the end of the expression", [3, 3]],
    ["a b", "E_EXPR_PARSE", "Unexpected 'b' after the end of the expression", [2, 3]],
    ["a)", "E_EXPR_PARSE", "Unmatched ')'", [1, 2]],
    ["a < b < c", "E_EXPR_PARSE", "Comparisons cannot be chained", [6, 7]],
    ["cast(a int)", "E_EXPR_PARSE", "Expected 'as' in cast(x as TYPE) but found 'int'", [7, 10]],
    ["cast(a as integer)", "E_EXPR_PARSE", "Unknown type 'integer' in cast", [10, 17]],
    ["case a then 1 end", "E_EXPR_PARSE", "Expected 'when' after 'case' but found 'a'", [5, 6]],
    ["case when a then 1", "E_EXPR_PARSE", "Expected 'end' to close 'case' but found the end of the expression", [18, 18]],
    ["a is nul", "E_EXPR_PARSE", "Expected 'null' after 'is' but found 'nul'", [5, 8]],
    ["if(a, b)", "E_EXPR_ARITY", "if expects 3 arguments (condition, then, else), got 2", [0, 8]],
    ["end + 1", "E_EXPR_PARSE", "Expected a value but found 'end'", [0, 3]],
    ["   ", "E_EXPR_EMPTY", "The expression is empty", [0, 3]],
    ["", "E_EXPR_EMPTY", "The expression is empty", [0, 0]],
  ])("%s", (text, code, message, range) => {
    const { expr, errors } = parseExpr(text);
    expect(expr).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code, message, range });
  });

  it("suggests backquotes for a column named like a keyword", () => {
    expect(parseExpr("end").errors[0].hint).toBe("To use a column called end, write `end`");
  });

  it("reports lexer errors without parsing", () => {
    expect(parseExpr("a + 'oops").errors[0].message).toBe("Unterminated string: missing closing '");
  });

  it("refuses absurd nesting and length instead of overflowing the stack", () => {
    expect(parseExpr("(".repeat(5000) + "a" + ")".repeat(5000)).errors[0].code).toBe("E_EXPR_PARSE");
    expect(parseExpr(Array(6000).fill("a").join(" + ")).errors[0].message).toMatch(/too long/);
  });

  it("never throws on junk", () => {
    for (const junk of ["((((", "))))", "case", "cast(", "if(", ",,,", "not", "- - -", "is null", "a is", "'\\u12'"]) {
      expect(() => parseExpr(junk)).not.toThrow();
      expect(parseExpr(junk).errors.length).toBeGreaterThan(0);
    }
  });
});

describe("parseExpr and printExpr", () => {
  it("prints canonically", () => {
    expect(printExpr(parseExpr("IF(a>1,'x',NULL)").expr!)).toBe("case when a > 1 then 'x' else null end");
    expect(printExpr(parseExpr("(a+b)*c - -d").expr!)).toBe("(a + b) * c - -d");
  });
});
