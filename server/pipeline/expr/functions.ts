// The function catalog of the expression language: signature, one-line doc and example (for
// completion and hover) plus the typing rule the checker applies to each call.
import type { Expr } from "./ast";
import { isInteger, isNumeric, type DataType } from "../types";
import { commonType, isNullType, isTemporal, widenNumeric, type TypeInfo } from "./type-rules";

/** What an argument position accepts. */
export type ParamKind = "any" | "string" | "numeric" | "integer" | "temporal";

export interface ArgInfo extends TypeInfo {
  readonly expr: Expr;
}

/** A typing failure not tied to one argument's kind (e.g. coalesce of string and int64). */
export interface FunctionTypeError {
  readonly message: string;
  readonly hint?: string;
}

export interface FunctionSpec {
  readonly name: string;
  /** e.g. "substr(s, start[, len])" */
  readonly signature: string;
  /** Result type in words, e.g. "string" or "same as x". */
  readonly returns: string;
  readonly doc: string;
  readonly example: string;
  readonly minArgs: number;
  /** null = variadic */
  readonly maxArgs: number | null;
  /** Kinds of the positional parameters; the last one repeats for variadic functions. */
  readonly params: readonly ParamKind[];
  /**
   * Result type once every argument matches its kind. Absent for `if` and `cast`, which are
   * syntax handled by the parser but listed here for completion.
   */
  readonly result?: (args: readonly ArgInfo[]) => TypeInfo | FunctionTypeError;
}

const anyNullable = (args: readonly ArgInfo[]) => args.some((a) => a.nullable);
const fixed = (type: DataType) => (args: readonly ArgInfo[]): TypeInfo => ({ type, nullable: anyNullable(args) });

/** Every function, in the order completion lists them. */
export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: "coalesce", signature: "coalesce(a, b, ...)", returns: "common type of the arguments",
    doc: "The first argument that is not null.", example: "coalesce(review_headline, '(none)')",
    minArgs: 1, maxArgs: null, params: ["any"],
    result: (args) => {
      const type = commonType(args.map((a) => a.type));
      if (type === null) {
        return { message: `coalesce needs arguments of one type, got ${distinct(args)}`, hint: "Convert them with cast(x as TYPE)" };
      }
      return { type, nullable: args.every((a) => a.nullable) };
    },
  },
  {
    name: "if", signature: "if(condition, then, else)", returns: "common type of then/else",
    doc: "then when the condition is true, else otherwise (also when it is null).",
    example: "if(total_votes > 100, 'popular', 'niche')", minArgs: 3, maxArgs: 3, params: ["any", "any", "any"],
  },
  {
    name: "cast", signature: "cast(x as TYPE)", returns: "TYPE",
    doc: "Converts x to bool, int, float, string, date or timestamp; unparseable text becomes null.",
    example: "cast(star_rating as float)", minArgs: 1, maxArgs: 1, params: ["any"],
  },
  {
    name: "lower", signature: "lower(s)", returns: "string", doc: "Text in lower case.",
    example: "lower(marketplace)", minArgs: 1, maxArgs: 1, params: ["string"], result: fixed("string"),
  },
  {
    name: "upper", signature: "upper(s)", returns: "string", doc: "Text in upper case.",
    example: "upper(product_category)", minArgs: 1, maxArgs: 1, params: ["string"], result: fixed("string"),
  },
  {
    name: "length", signature: "length(s)", returns: "int64", doc: "Number of characters in the text.",
    example: "length(review_body)", minArgs: 1, maxArgs: 1, params: ["string"], result: fixed("int64"),
  },
  {
    name: "concat", signature: "concat(s, ...)", returns: "string", doc: "Joins texts; null if any part is null.",
    example: "concat(marketplace, '-', product_id)", minArgs: 1, maxArgs: null, params: ["string"], result: fixed("string"),
  },
  {
    name: "contains", signature: "contains(s, sub)", returns: "bool", doc: "Whether the text contains sub (case-sensitive).",
    example: "contains(review_body, 'great')", minArgs: 2, maxArgs: 2, params: ["string", "string"], result: fixed("bool"),
  },
  {
    name: "starts_with", signature: "starts_with(s, prefix)", returns: "bool", doc: "Whether the text starts with prefix.",
    example: "starts_with(product_id, 'B00')", minArgs: 2, maxArgs: 2, params: ["string", "string"], result: fixed("bool"),
  },
  {
    name: "ends_with", signature: "ends_with(s, suffix)", returns: "bool", doc: "Whether the text ends with suffix.",
    example: "ends_with(review_headline, '!')", minArgs: 2, maxArgs: 2, params: ["string", "string"], result: fixed("bool"),
  },
  {
    name: "substr", signature: "substr(s, start[, len])", returns: "string",
    doc: "Part of the text from position start (1 = first character), len characters or to the end.",
    example: "substr(review_body, 1, 80)", minArgs: 2, maxArgs: 3, params: ["string", "integer", "integer"], result: fixed("string"),
  },
  {
    name: "round", signature: "round(x[, digits])", returns: "same kind as x",
    doc: "x rounded to digits decimal places (default 0).", example: "round(helpful_votes / total_votes, 2)",
    minArgs: 1, maxArgs: 2, params: ["numeric", "integer"],
    result: (args) => ({ type: widenNumeric(args[0].type), nullable: anyNullable(args) }),
  },
  {
    name: "abs", signature: "abs(x)", returns: "same kind as x", doc: "Absolute value.",
    example: "abs(helpful_votes - total_votes)", minArgs: 1, maxArgs: 1, params: ["numeric"],
    result: (args) => ({ type: widenNumeric(args[0].type), nullable: anyNullable(args) }),
  },
  {
    name: "year", signature: "year(d)", returns: "int64", doc: "Year of a date or timestamp.",
    example: "year(review_date)", minArgs: 1, maxArgs: 1, params: ["temporal"], result: fixed("int64"),
  },
  {
    name: "month", signature: "month(d)", returns: "int64", doc: "Month (1-12) of a date or timestamp.",
    example: "month(review_date)", minArgs: 1, maxArgs: 1, params: ["temporal"], result: fixed("int64"),
  },
  {
    name: "day", signature: "day(d)", returns: "int64", doc: "Day of the month (1-31) of a date or timestamp.",
    example: "day(review_date)", minArgs: 1, maxArgs: 1, params: ["temporal"], result: fixed("int64"),
  },
];

/** Lower-case name -> spec. A Map, so names like "constructor" cannot hit Object.prototype. */
export const FUNCTION_INDEX: ReadonlyMap<string, FunctionSpec> = new Map(FUNCTIONS.map((f) => [f.name, f]));

/** Names people bring from SQL dialects and pandas, mapped to ours for the hint. */
export const FUNCTION_ALIASES: ReadonlyMap<string, string> = new Map([
  ["len", "length"], ["char_length", "length"], ["strlen", "length"], ["substring", "substr"],
  ["ifnull", "coalesce"], ["nvl", "coalesce"], ["isnull", "coalesce"], ["iif", "if"],
  ["lcase", "lower"], ["ucase", "upper"], ["startswith", "starts_with"], ["endswith", "ends_with"],
]);

/** The kind of argument the i-th parameter of f expects. */
export const paramKind = (f: FunctionSpec, i: number): ParamKind => f.params[Math.min(i, f.params.length - 1)];

/** Does a value of type t fit a parameter kind? The null literal fits every kind. */
export function fitsParam(kind: ParamKind, t: DataType): boolean {
  if (isNullType(t) || kind === "any") return true;
  if (kind === "string") return t === "string";
  if (kind === "numeric") return isNumeric(t);
  if (kind === "integer") return isInteger(t);
  return isTemporal(t);
}

export const PARAM_WORDS: Record<ParamKind, string> = {
  any: "a value", string: "text (string)", numeric: "a number", integer: "an integer", temporal: "a date or timestamp",
};

function distinct(args: readonly ArgInfo[]): string {
  return [...new Set(args.map((a) => a.type).filter((t) => !isNullType(t)))].join(" and ");
}
