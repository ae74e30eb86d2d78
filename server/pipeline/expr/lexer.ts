// Tokenizer for the expression language: identifiers, `quoted names`, numbers, strings,
// operators and punctuation. Keywords are plain identifiers here; the parser matches them
// case-insensitively, so a column may still be called `Year` or `end` (backquoted).
import type { Range } from "./ast";
import { clip } from "../suggest";
import { exprError, type ExprError } from "./errors";

export type TokenKind =
  | "ident" // bare identifier or keyword
  | "quoted" // `backquoted name`
  | "int"
  | "float"
  | "string"
  | "op"
  | "lparen"
  | "rparen"
  | "comma"
  | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** Raw source text of the token. */
  readonly text: string;
  /** Decoded value: the name for ident/quoted, the content for strings, else the text. */
  readonly value: string;
  readonly range: Range;
}

const OPERATORS = ["==", "!=", "<>", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "%"];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const SIMPLE_ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r" };
// The parser reports only the first error anyway; without a cap, 600 000 stray characters made
// 600 000 errors and overflowed the stack where callers spread them (found by fuzzing).
const MAX_ERRORS = 20;

/** Is `name` usable without backquotes (ignoring keywords)? Example: isBareIdentifier("total_votes") === true */
export const isBareIdentifier = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

/**
 * Splits expression text into tokens; the last token is always `eof`.
 * Example: tokenize("a + 1").tokens.map(t => t.kind) -> ["ident", "op", "int", "eof"]
 */
export function tokenize(text: string): { tokens: Token[]; errors: ExprError[] } {
  const tokens: Token[] = [];
  const errors: ExprError[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) =>
    tokens.push({ kind, text: text.slice(start, end), value: value ?? text.slice(start, end), range: [start, end] });

  while (i < text.length && errors.length < MAX_ERRORS) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (IDENT_START.test(c)) {
      const start = i;
      while (i < text.length && IDENT_PART.test(text[i])) i++;
      push("ident", start, i);
    } else if (DIGIT.test(c) || (c === "." && DIGIT.test(text[i + 1] ?? ""))) {
      i = lexNumber(text, i, push, errors);
    } else if (c === "'" || c === '"') {
      i = lexString(text, i, push, errors);
    } else if (c === "`") {
      i = lexQuoted(text, i, push, errors);
    } else if (c === "(") {
      push("lparen", i, ++i);
    } else if (c === ")") {
      push("rparen", i, ++i);
    } else if (c === ",") {
      push("comma", i, ++i);
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op) {
        push("op", i, i + op.length);
        i += op.length;
      } else {
        const hint = c === "!" ? "Use != to compare, or not to negate" : c === "|" || c === "&" ? "Use or / and" : undefined;
        errors.push(exprError("E_EXPR_PARSE", `Unexpected character '${c}'`, [i, i + 1], hint));
        i++;
      }
    }
  }
  tokens.push({ kind: "eof", text: "", value: "", range: [text.length, text.length] });
  return { tokens, errors: errors.slice(0, MAX_ERRORS) };
}

type Push = (kind: TokenKind, start: number, end: number, value?: string) => void;

function lexNumber(text: string, start: number, push: Push, errors: ExprError[]): number {
  let i = start;
  let isFloat = false;
  while (DIGIT.test(text[i] ?? "")) i++;
  if (text[i] === ".") {
    isFloat = true;
    i++;
    while (DIGIT.test(text[i] ?? "")) i++;
  }
  if (text[i] === "e" || text[i] === "E") {
    let j = i + 1;
    if (text[j] === "+" || text[j] === "-") j++;
    if (DIGIT.test(text[j] ?? "")) {
      isFloat = true;
      i = j;
      while (DIGIT.test(text[i] ?? "")) i++;
    }
  }
  if (IDENT_PART.test(text[i] ?? "") || text[i] === ".") {
    let end = i;
    while (end < text.length && (IDENT_PART.test(text[end]) || text[end] === ".")) end++;
    errors.push(exprError("E_EXPR_PARSE", `Invalid number '${clip(text.slice(start, end))}'`, [start, end]));
    return end;
  }
  push(isFloat ? "float" : "int", start, i);
  return i;
}

function lexString(text: string, start: number, push: Push, errors: ExprError[]): number {
  const quote = text[start];
  let i = start + 1;
  let value = "";
  while (i < text.length && text[i] !== quote) {
    if (text[i] !== "\\") {
      value += text[i++];
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === "u" && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      const len = e === undefined ? 1 : 2;
      errors.push(
        exprError("E_EXPR_PARSE", `Unknown escape '\\${e ?? ""}' in string`, [i, i + len],
          "Escapes are \\\\ \\' \\\" \\n \\t and \\uXXXX"),
      );
      i += len;
    }
  }
  if (i >= text.length) {
    errors.push(exprError("E_EXPR_PARSE", "Unterminated string: missing closing " + quote, [start, text.length]));
    return text.length;
  }
  push("string", start, i + 1, value);
  return i + 1;
}

function lexQuoted(text: string, start: number, push: Push, errors: ExprError[]): number {
  let i = start + 1;
  let value = "";
  for (;;) {
    if (i >= text.length) {
      errors.push(exprError("E_EXPR_PARSE", "Unterminated column name: missing closing `", [start, text.length]));
      return text.length;
    }
    if (text[i] === "`") {
      if (text[i + 1] === "`") {
        value += "`";
        i += 2;
        continue;
      }
      break;
    }
    value += text[i++];
  }
  if (value === "") {
    errors.push(exprError("E_EXPR_PARSE", "Empty column name in backquotes", [start, i + 1]));
    return i + 1;
  }
  push("quoted", start, i + 1, value);
  return i + 1;
}
