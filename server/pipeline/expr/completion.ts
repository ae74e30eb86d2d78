// Autocompletion for the expression editor: columns, functions and keywords matching the word
// before the cursor. Pure, so the canvas can call it on every keystroke.
import type { Schema } from "../types";
import { tokenize, type Token } from "./lexer";
import { FUNCTIONS } from "./functions";
import { quoteColumn } from "./printer";

export interface CompletionOption {
  label: string;
  kind: "column" | "function" | "keyword";
  detail: string;
  /** Text that replaces [from, cursor). */
  apply: string;
}

export interface Completions {
  from: number;
  options: CompletionOption[];
}

// After a value (column, literal, ')') an operator-like keyword is expected; elsewhere a value.
const AFTER_VALUE = ["and", "or", "is null", "is not null", "then", "else", "end", "when", "as"];
const BEFORE_VALUE = ["not", "case", "when", "true", "false", "null"];

/**
 * Suggestions for the word ending at `cursor`.
 * Example: completions("round(helpful_v", 15, REVIEWS_SCHEMA)
 *   -> { from: 6, options: [{ label: "helpful_votes", kind: "column", detail: "int32", apply: "helpful_votes" }] }
 */
export function completions(text: string, cursor: number, schema: Schema): Completions {
  const at = Math.max(0, Math.min(cursor, text.length));
  const before = text.slice(0, at);
  const context = scanContext(before);
  if (context.inString) return { from: at, options: [] };

  if (context.quotedFrom !== null) {
    // Inside an unterminated `backquoted name: columns only, matched on what follows the backquote.
    const prefix = before.slice(context.quotedFrom + 1).replaceAll("``", "`").toLowerCase();
    return { from: context.quotedFrom, options: columnOptions(schema, prefix) };
  }

  let from = at;
  while (from > 0 && /[A-Za-z0-9_]/.test(text[from - 1])) from--;
  if (from < at && /[0-9]/.test(text[from])) return { from: at, options: [] }; // inside a number
  const prefix = text.slice(from, at).toLowerCase();
  const tokens = tokenize(text.slice(0, from)).tokens;
  const prev = tokens.length >= 2 ? tokens[tokens.length - 2] : null;

  if (prev && endsValue(prev)) {
    const options = AFTER_VALUE.filter((k) => k.startsWith(prefix))
      .map((k): CompletionOption => ({ label: k, kind: "keyword", detail: "keyword", apply: k }));
    return { from, options };
  }
  const functions = FUNCTIONS.filter((f) => f.name.startsWith(prefix)).map((f): CompletionOption => ({
    label: f.name, kind: "function", detail: `${f.signature} -> ${f.returns}. ${f.doc}`, apply: `${f.name}(`,
  }));
  const keywords = prefix === "" ? [] : BEFORE_VALUE.filter((k) => k.startsWith(prefix))
    .map((k): CompletionOption => ({ label: k, kind: "keyword", detail: "keyword", apply: k }));
  return { from, options: [...columnOptions(schema, prefix), ...functions, ...keywords] };
}

function columnOptions(schema: Schema, prefix: string): CompletionOption[] {
  const starts: CompletionOption[] = [];
  const contains: CompletionOption[] = [];
  for (const c of schema) {
    const name = c.name.toLowerCase();
    const option: CompletionOption = {
      label: c.name, kind: "column", detail: c.nullable ? `${c.type}, nullable` : c.type, apply: quoteColumn(c.name),
    };
    if (name.startsWith(prefix)) starts.push(option);
    else if (prefix.length >= 2 && name.includes(prefix)) contains.push(option);
  }
  return [...starts, ...contains];
}

function endsValue(t: Token): boolean {
  if (t.kind === "rparen" || t.kind === "quoted" || t.kind === "int" || t.kind === "float" || t.kind === "string") return true;
  if (t.kind !== "ident") return false;
  const w = t.value.toLowerCase();
  return w === "true" || w === "false" || w === "null" || w === "end" ||
    !["and", "or", "not", "is", "case", "when", "then", "else", "as"].includes(w);
}

/** Whether `before` ends inside a string literal or an unterminated backquoted name (and where it starts). */
function scanContext(before: string): { inString: boolean; quotedFrom: number | null } {
  let i = 0;
  while (i < before.length) {
    const c = before[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < before.length && before[j] !== c) j += before[j] === "\\" ? 2 : 1;
      if (j >= before.length) return { inString: true, quotedFrom: null };
      i = j + 1;
    } else if (c === "`") {
      let j = i + 1;
      for (;;) {
        if (j >= before.length) return { inString: false, quotedFrom: i };
        if (before[j] === "`" && before[j + 1] === "`") j += 2;
        else if (before[j] === "`") break;
        else j++;
      }
      i = j + 1;
    } else {
      i++;
    }
  }
  return { inString: false, quotedFrom: null };
}
