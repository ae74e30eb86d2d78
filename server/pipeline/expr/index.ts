// Public API of the expression language: parse, type-check, print, complete, and the function catalog.
import type { TypedExpr } from "./ast";
import type { Schema } from "../types";
import { checkExpr } from "./checker";
import type { ExprError } from "./errors";
import { parseExpr } from "./parser";

export type * from "./ast";
export type { ExprError, ExprErrorCode } from "./errors";
export { parseExpr, RESERVED_WORDS, CAST_TYPES } from "./parser";
export { checkExpr } from "./checker";
export { printExpr, quoteColumn, quoteString } from "./printer";
export { completions, type CompletionOption, type Completions } from "./completion";
export { FUNCTIONS, FUNCTION_INDEX, type FunctionSpec, type ParamKind } from "./functions";
export { tokenize, isBareIdentifier, type Token, type TokenKind } from "./lexer";

/**
 * Parses and type-checks in one go; parse errors come back without type errors.
 * Example: analyzeExpr("star_rating + review_body", schema).errors[0].message
 *   === "Cannot add int32 and string: use concat()"
 */
export function analyzeExpr(text: string, schema: Schema): { typed: TypedExpr | null; errors: ExprError[] } {
  const parsed = parseExpr(text);
  if (parsed.expr === null) return { typed: null, errors: parsed.errors };
  return checkExpr(parsed.expr, schema);
}
