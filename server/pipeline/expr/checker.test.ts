// Tests for the expression type checker: result types, nullability and every error with its range.
import { describe, expect, it } from "vitest";
import { REVIEWS_SCHEMA } from "../test-fixtures";
import type { Schema } from "../types";
import { analyzeExpr } from "./index";

const SCHEMA: Schema = [
  ...REVIEWS_SCHEMA,
  { name: "ratio", type: "float32", nullable: true },
  { name: "seen_at", type: "timestamp", nullable: true },
  { name: "tags", type: "list", nullable: true },
  { name: "review date", type: "date32", nullable: false },
];

const typeOf = (text: string) => {
  const { typed, errors } = analyzeExpr(text, SCHEMA);
  if (!typed) throw new Error(errors.map((e) => e.message).join("; "));
  return `${typed.type}${typed.nullable ? "?" : ""}`;
};
const firstError = (text: string) => analyzeExpr(text, SCHEMA).errors[0];

describe("checkExpr types", () => {
  it.each([
    ["helpful_votes + total_votes", "int64"],
    ["star_rating * 2", "int64"],
    ["star_rating % 2", "int64?"],
    ["helpful_votes / total_votes", "float64?"],
    ["star_rating + 1.5", "float64"],
    ["ratio * 2", "float64?"],
    ["-star_rating", "int64"],
    ["year + 1", "int64?"],
    ["total_votes > 100", "bool"],
    ["year > 2000", "bool?"],
    ["star_rating = 4.5", "bool"],
    ["marketplace = 'US'", "bool"],
    ["review_date >= '2015-01-01'", "bool?"],
    ["seen_at < '2015-01-01 10:00:00'", "bool?"],
    ["vine and verified_purchase", "bool?"],
    ["not (total_votes > 0)", "bool"],
    ["review_body is null", "bool"],
    ["coalesce(review_headline, '(none)')", "string"],
    ["coalesce(year, star_rating)", "int32"],
    ["coalesce(year, helpful_votes + 1)", "int64"],
    ["coalesce(year, ratio, 0)", "float64"],
    ["if(total_votes > 100, 'popular', 'niche')", "string"],
    ["if(vine, 1, 2.5)", "float64"],
    ["case when vine then 'v' end", "string?"],
    ["if(vine, null, 1)", "int64?"],
    ["lower(marketplace)", "string"],
    ["length(review_body)", "int64?"],
    ["concat(marketplace, '-', product_id)", "string"],
    ["contains(review_body, 'great')", "bool?"],
    ["starts_with(product_id, 'B0') or ends_with(product_id, 'X')", "bool"],
    ["substr(review_body, 1, 80)", "string?"],
    ["round(helpful_votes / total_votes, 2)", "float64?"],
    ["round(star_rating)", "int64"],
    ["abs(ratio)", "float64?"],
    ["year(review_date) + month(`review date`) + day(seen_at)", "int64?"],
    ["cast(star_rating as string)", "string"],
    ["cast(product_parent as int)", "int64?"],
    ["cast(marketplace as float)", "float64?"],
    ["cast('2020-01-01' as date)", "date32?"],
    ["cast(vine as int)", "int64?"],
    ["null", "null?"],
    ["-9223372036854775808", "int64"],
  ])("%s : %s", (text, expected) => {
    expect(typeOf(text)).toBe(expected);
  });

  it("records the type of every node and the columns read", () => {
    const { typed } = analyzeExpr("helpful_votes / total_votes + helpful_votes", SCHEMA);
    expect(typed!.columns).toEqual(["helpful_votes", "total_votes"]);
    expect(typed!.types.get(typed!.expr)).toBe("float64");
  });

  it("types a string literal compared with a date as the date type (for the compiler)", () => {
    const { typed } = analyzeExpr("review_date >= '2015-01-01'", SCHEMA);
    const expr = typed!.expr;
    if (expr.kind !== "binary") throw new Error("expected binary");
    expect(typed!.types.get(expr.right)).toBe("date32");
  });
});

describe("checkExpr errors", () => {
  it.each([
    ["reviw_body", "E_COLUMN_UNKNOWN", "Unknown column 'reviw_body'", [0, 10], "Did you mean 'review_body'?"],
    ["Marketplace = 'US'", "E_COLUMN_UNKNOWN", "Unknown column 'Marketplace'", [0, 11], "Did you mean 'marketplace'?"],
    ["marketplace + 1", "E_EXPR_TYPE", "Cannot add string and int64: use concat()", [0, 15], "Example: concat(marketplace, '-', product_id); cast(x as string) turns a number into text"],
    ["marketplace + product_id", "E_EXPR_TYPE", "Cannot add string and string: use concat()", [0, 24], "Example: concat(marketplace, '-', product_id); cast(x as string) turns a number into text"],
    ["review_date - 1", "E_EXPR_TYPE", "Cannot subtract date32 and int64", [0, 15], undefined],
    ["total_votes > '5'", "E_EXPR_TYPE", "Cannot compare int32 with string", [0, 17], "Remove the quotes to compare with a number: 5, not '5'"],
    ["review_date = seen_at", "E_EXPR_TYPE", "Cannot compare date32 with timestamp", [0, 21], "Convert one side with cast(x as TYPE)"],
    ["review_date > '2015-02-30'", "E_EXPR_TYPE", "'2015-02-30' is not a valid date", [14, 26], "Write dates as 'YYYY-MM-DD'"],
    ["total_votes = null", "E_EXPR_TYPE", "Comparing with null is never true", [0, 18], "Use 'x is null' instead"],
    ["total_votes != null", "E_EXPR_TYPE", "Comparing with null is never true", [0, 19], "Use 'x is not null' instead"],
    ["total_votes and vine", "E_EXPR_TYPE", "and needs bool on both sides, got int32", [0, 11], "Compare it first, e.g. total_votes > 0"],
    ["not marketplace", "E_EXPR_TYPE", "not needs a bool, got string", [4, 15], undefined],
    ["-marketplace", "E_EXPR_TYPE", "Cannot negate string", [1, 12], undefined],
    ["lower(star_rating)", "E_EXPR_TYPE", "lower expects text (string) as argument 1, got int32", [6, 17], "Convert it with cast(x as string)"],
    ["substr(review_body, 1.5)", "E_EXPR_TYPE", "substr expects an integer as argument 2, got float64", [20, 23], undefined],
    ["year(marketplace)", "E_EXPR_TYPE", "year expects a date or timestamp as argument 1, got string", [5, 16], undefined],
    ["coalesce(marketplace, 0)", "E_EXPR_TYPE", "coalesce needs arguments of one type, got string and int64", [0, 24], "Convert them with cast(x as TYPE)"],
    ["if(vine, 'a', 1)", "E_EXPR_TYPE", "The branches give different types: string and int64", [0, 16], "Make every branch the same type, e.g. with cast(x as string)"],
    ["if(total_votes, 1, 2)", "E_EXPR_TYPE", "A condition must be bool, got int32", [3, 14], "Compare it, e.g. total_votes > 0"],
    ["cast(review_date as int)", "E_EXPR_TYPE", "Cannot cast date32 to int64", [0, 24], undefined],
    ["cast(tags as string)", "E_EXPR_TYPE", "Cannot cast list to string", [0, 20], undefined],
    ["9223372036854775808", "E_EXPR_TYPE", "The number 9223372036854775808 is too large for int64", [0, 19], "Write it as a decimal: 9223372036854775808.0"],
    ["1e999", "E_EXPR_TYPE", "The number 1e999 is too large for float64", [0, 5], undefined],
    ["lenght(review_body)", "E_EXPR_FUNCTION_UNKNOWN", "Unknown function 'lenght'", [0, 6], "Did you mean 'length'?"],
    ["len(review_body)", "E_EXPR_FUNCTION_UNKNOWN", "Unknown function 'len'", [0, 3], "Did you mean 'length'?"],
    ["total_votes(1)", "E_EXPR_FUNCTION_UNKNOWN", "Unknown function 'total_votes'", [0, 11], "'total_votes' is a column, not a function"],
    ["constructor(1)", "E_EXPR_FUNCTION_UNKNOWN", "Unknown function 'constructor'", [0, 11], undefined],
    ["round(ratio, 1, 2)", "E_EXPR_ARITY", "round expects 1 or 2 arguments, got 3", [0, 18], "Usage: round(x[, digits])"],
    ["lower()", "E_EXPR_ARITY", "lower expects 1 argument, got 0", [0, 7], "Usage: lower(s)"],
    ["coalesce()", "E_EXPR_ARITY", "coalesce expects at least 1 arguments, got 0", [0, 10], "Usage: coalesce(a, b, ...)"],
    ["contains(review_body)", "E_EXPR_ARITY", "contains expects 2 arguments, got 1", [0, 21], "Usage: contains(s, sub)"],
  ])("%s", (text, code, message, range, hint) => {
    const err = firstError(text);
    expect(err).toMatchObject({ code, message, range });
    expect(err.hint).toBe(hint);
  });

  it("reports every unknown column, not only the first", () => {
    const { errors } = analyzeExpr("foo + bar + total_votes", SCHEMA);
    expect(errors.map((e) => e.message)).toEqual(["Unknown column 'foo'", "Unknown column 'bar'"]);
  });

  it("does not cascade an error into its parents", () => {
    const { errors } = analyzeExpr("round(foo + 1, 2) > 'x' and 1", SCHEMA);
    expect(errors).toHaveLength(1);
  });

  it("returns no typed tree when there are errors", () => {
    expect(analyzeExpr("foo", SCHEMA).typed).toBeNull();
  });
});
