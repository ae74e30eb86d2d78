// The error type shared by the expression lexer, parser and checker.
import type { Range } from "./ast";

export type ExprErrorCode =
  | "E_EXPR_PARSE"
  | "E_EXPR_TYPE"
  | "E_EXPR_FUNCTION_UNKNOWN"
  | "E_EXPR_ARITY"
  | "E_COLUMN_UNKNOWN"
  | "E_EXPR_EMPTY";

/**
 * A mistake in an expression, with the [start, end) character range to underline.
 * Example: { code: "E_COLUMN_UNKNOWN", message: "Unknown column 'reviw_body'", range: [0, 10],
 *            hint: "Did you mean 'review_body'?" }
 */
export interface ExprError {
  code: ExprErrorCode;
  message: string;
  range: [number, number];
  hint?: string;
}

export function exprError(code: ExprErrorCode, message: string, range: Range, hint?: string): ExprError {
  const e: ExprError = { code, message, range: [range[0], range[1]] };
  if (hint !== undefined) e.hint = hint;
  return e;
}
