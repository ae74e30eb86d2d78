// Expression emission: exact Python text per construct, precedence, and (for the natively
// supported operators) evaluation with Ray's own expression API against a pyarrow table.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { analyzeExpr, quoteColumn, quoteString } from "../../pipeline/expr";
import { REVIEWS_SCHEMA } from "../../pipeline/test-fixtures";
import { emitExpr, FN_HELPERS } from "./expr-emit";
import { FUNCTIONS } from "../../pipeline/expr/functions";

const PYTHON = new URL("../../../.venv/bin/python", import.meta.url).pathname;

function emit(text: string): string {
  const { typed, errors } = analyzeExpr(text, REVIEWS_SCHEMA);
  if (!typed) throw new Error(`${text}: ${errors.map((e) => e.message).join("; ")}`);
  return emitExpr(typed);
}

describe("emitExpr", () => {
  it.each([
    ["helpful_votes / total_votes", 'fn.div(col("helpful_votes"), col("total_votes"))'],
    ["total_votes + 1", 'col("total_votes") + lit(1)'],
    ["total_votes - (helpful_votes - 1)", 'col("total_votes") - (col("helpful_votes") - lit(1))'],
    ["(total_votes - helpful_votes) - 1", 'col("total_votes") - col("helpful_votes") - lit(1)'],
    ["total_votes * (helpful_votes + 2)", 'col("total_votes") * (col("helpful_votes") + lit(2))'],
    ["total_votes % 7", 'col("total_votes") % lit(7)'],
    ["-total_votes", 'col("total_votes").negate()'],
    ["-(total_votes + 1)", '(col("total_votes") + lit(1)).negate()'],
    ["-5 + total_votes", 'lit(-5) + col("total_votes")'],
    ["-2.5e3", "lit(-2500.0)"],
    ["9223372036854775807", "lit(9223372036854775807)"],
    ["total_votes > 0 and marketplace = 'US'", '(col("total_votes") > lit(0)) & (col("marketplace") == lit("US"))'],
    ["vine or verified_purchase and star_rating >= 4", 'col("vine") | (col("verified_purchase") & (col("star_rating") >= lit(4)))'],
    ["not vine", '~col("vine")'],
    ["not (total_votes > 0)", '~(col("total_votes") > lit(0))'],
    ["review_body is null", 'col("review_body").is_null()'],
    ["review_body is not null", 'col("review_body").is_not_null()'],
    ["(total_votes + 1) is null", '(col("total_votes") + lit(1)).is_null()'],
    ["(total_votes > 1) = true", '(col("total_votes") > lit(1)) == lit(True)'],
    ["coalesce(review_headline, '(none)')", 'fn.coalesce(col("review_headline"), lit("(none)"))'],
    ["if(total_votes > 100, 'popular', 'niche')", 'fn.if_else(col("total_votes") > lit(100), lit("popular"), lit("niche"))'],
    [
      "case when star_rating >= 4 then 'good' when star_rating <= 2 then 'bad' end",
      'fn.case([(col("star_rating") >= lit(4), lit("good")), (col("star_rating") <= lit(2), lit("bad"))], lit(None))',
    ],
    ["case when vine then 1 else 0 end", 'fn.if_else(col("vine"), lit(1), lit(0))'],
    ["concat(marketplace, '-', product_id)", 'fn.concat(col("marketplace"), lit("-"), col("product_id"))'],
    ["substr(review_body, 1, 80)", 'fn.substr(col("review_body"), lit(1), lit(80))'],
    ["round(helpful_votes / total_votes, 2)", 'fn.round_to(fn.div(col("helpful_votes"), col("total_votes")), lit(2))'],
    ["cast(star_rating as float)", 'fn.cast(col("star_rating"), "float64")'],
    ["year(review_date) * 100 + month(review_date)", 'fn.year(col("review_date")) * lit(100) + fn.month(col("review_date"))'],
    ["review_date >= '2015-01-31'", 'col("review_date") >= fn.cast(lit("2015-01-31"), "date32")'],
  ])("%s", (text, expected) => {
    expect(emit(text)).toBe(expected);
  });

  it("encodes names and strings through the literal encoder", () => {
    const schema = [{ name: 'we"ird\ncol', type: "string" as const, nullable: true }];
    const { typed, errors } = analyzeExpr(`concat(${quoteColumn(schema[0].name)}, ${quoteString("it's \\ \u2028")})`, schema);
    expect(errors).toEqual([]);
    expect(emitExpr(typed!)).toBe('fn.concat(col("we\\"ird\\ncol"), lit("it\'s \\\\ \\u2028"))');
  });

  it("has a runtime helper for every function of the language", () => {
    for (const f of FUNCTIONS) {
      if (f.name === "cast") continue; // parsed to a Cast node
      expect(FN_HELPERS[f.name], f.name).toBeDefined();
    }
  });
});

describe("native operators evaluate in Ray", () => {
  it("matches the expression language's meaning on a small table", () => {
    const cases: [string, unknown[]][] = [
      ["total_votes + 1", [11, 1, 101]],
      ["total_votes - helpful_votes - 1", [4, -1, 49]],
      ["total_votes % 7", [3, 0, 2]],
      ["total_votes > 0 and marketplace = 'US'", [true, false, false]],
      ["not (total_votes > 0) or vine", [false, true, true]],
      ["review_body is null", [false, true, false]],
      ["-total_votes", [-10, 0, -100]],
    ];
    const script = [
      "import json, sys, pyarrow as pa",
      "from ray.data.expressions import col, lit",
      "t = pa.table({'total_votes': [10, 0, 100], 'helpful_votes': [5, 0, 50], 'marketplace': ['US', 'US', 'DE'],",
      "              'vine': [False, False, True], 'review_body': ['a', None, 'c']})",
      "out = []",
      "for src in json.load(sys.stdin):",
      "    e = eval(src)",
      "    out.append(pyarrow.dataset.dataset(t).to_table(columns={'r': e.to_pyarrow()}).column('r').to_pylist())",
      "print(json.dumps(out))",
    ].join("\n");
    const r = spawnSync(PYTHON, ["-c", "import pyarrow.dataset\n" + script], {
      input: JSON.stringify(cases.map(([t]) => emit(t))),
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual(cases.map(([, v]) => v));
  });
});
