// Expression text for fuzzing, shared by the expression and compiler fuzz tests: a generator
// shaped by the grammar (mostly well-formed, sometimes ill-typed or slightly off) and valid
// examples to damage. Column names are the reviews dataset's plus two that need backquotes.
import fc from "fast-check";
import { CAST_TYPES, FUNCTIONS } from "../pipeline/expr";
import { REVIEWS_SCHEMA } from "../pipeline/test-fixtures";

/** The reviews schema plus `review date` and `end` (a keyword), which must be backquoted. */
export const SCHEMA = [...REVIEWS_SCHEMA, { name: "review date", type: "date32" as const, nullable: true }, { name: "end", type: "float64" as const, nullable: true }];

const column = fc.oneof(
  fc.constantFrom(...SCHEMA.map((c) => c.name)).map((n) => (/^[A-Za-z_]\w*$/.test(n) && n !== "end" ? n : "`" + n.replaceAll("`", "``") + "`")),
  fc.constantFrom("totl_votes", "`no such`", "`a``b`", "Year", "END", "`end`", "x"),
);
const literal = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom("0", "9223372036854775807", "9223372036854775808", "1e400", "1.5", ".5", "2e-3", "00", "1.", "1e", "0x1F"),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(Math.abs(d))),
  fc.string({ maxLength: 8 }).map((s) => "'" + s.replaceAll("\\", "\\\\").replaceAll("'", "\\'") + "'"),
  fc.constantFrom("'2024-01-31'", "'2024-13-45'", "'\\u00e9'", "'\\q'", '"dq"', "true", "FALSE", "null", "NULL"),
);
const functionName = fc.oneof(fc.constantFrom(...FUNCTIONS.map((f) => f.name)), fc.constantFrom("lenght", "sum", "ROUND", "year", "total_votes"));
const binaryOp = fc.constantFrom("+", "-", "*", "/", "%", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "and", "or", "AND", "Or");
const castType = fc.oneof(fc.constantFrom(...Object.keys(CAST_TYPES)), fc.constantFrom("decimal", "INT", "Date"));
const ws = fc.constantFrom("", " ", "  ", "\n", "\t");

/** Expression text shaped by the grammar: mostly well-formed, sometimes ill-typed or slightly off. */
export const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    column,
    literal,
    fc.tuple(tie("e"), ws, binaryOp, ws, tie("e")).map((p) => p.join("")),
    fc.tuple(fc.constantFrom("-", "not ", "NOT "), tie("e")).map(([op, e]) => op + e),
    tie("e").map((e) => `(${e})`),
    fc.tuple(functionName, fc.array(tie("e"), { maxLength: 4 })).map(([f, args]) => `${f}(${args.join(", ")})`),
    fc.tuple(tie("e"), castType).map(([e, t]) => `cast(${e} as ${t})`),
    fc.tuple(tie("e"), fc.boolean()).map(([e, not]) => `${e} is ${not ? "not " : ""}null`),
    fc.tuple(fc.array(fc.tuple(tie("e"), tie("e")), { minLength: 1, maxLength: 3 }), fc.option(tie("e"))).map(
      ([branches, other]) => `case ${branches.map(([w, t]) => `when ${w} then ${t}`).join(" ")}${other === null ? "" : ` else ${other}`} end`,
    ),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, a, b]) => `if(${c}, ${a}, ${b})`),
  ),
})).e;

/** Expressions that parse and type-check against SCHEMA. */
export const VALID_EXPRESSIONS = [
  "helpful_votes / total_votes",
  "if(total_votes > 100, 'popular', 'niche')",
  "case when star_rating >= 4 then 'good' when star_rating = 3 then 'ok' else 'bad' end",
  "concat(marketplace, '-', product_id)",
  "round(helpful_votes * 1.0 / total_votes, 2) is not null and not vine",
  "cast(year as string) = '2015' or review_date > '2015-01-01'",
  "coalesce(product_title, review_headline, 'none') < 'm' or `end` is null",
  "substr(lower(review_headline), 1, 10) <> ''",
];
