// The ONE literal encoder: every user-supplied value (column names, paths, literals, labels,
// UDF source) reaches the generated Python only through these functions, never spliced in.

/**
 * Characters escaped even though Python would accept some of them inside a literal: control
 * characters (C0, DEL, C1), line/paragraph separators (editors break lines there), lone
 * surrogates (not encodable as UTF-8) and bidi controls (trojan-source style reordering).
 * Everything else printable, including emoji and combining marks, is kept as is.
 */
const BIDI_CONTROLS = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

/** Escape one code point (given as its UTF-16 string), or return it unchanged. */
function escapeCodePoint(ch: string, quote: string | null): string {
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) return simple;
  if (quote !== null && ch === quote) return "\\" + quote;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return "\\x" + hex(cp, 2);
  if (cp === 0x2028 || cp === 0x2029 || BIDI_CONTROLS.has(cp)) return "\\u" + hex(cp, 4);
  // `for..of` yields a lone surrogate as a single unit; a valid pair arrives as one code point.
  if (cp >= 0xd800 && cp <= 0xdfff) return "\\u" + hex(cp, 4);
  return ch;
}

// Fast path: strings made only of safe printable ASCII need no per-character work.
const PLAIN_ASCII = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

function escapeText(s: string, quote: string | null): string {
  if (PLAIN_ASCII.test(s)) return s;
  let out = "";
  for (const ch of s) out += escapeCodePoint(ch, quote);
  return out;
}

/**
 * A Python string literal (double-quoted) whose value is exactly `s`.
 * Example: pyStr('say "hi"\n') === '"say \\"hi\\"\\n"'
 */
export function pyStr(s: string): string {
  return '"' + escapeText(s, '"') + '"';
}

/** Like pyStr, with the quote character chosen by the caller (`'` for source full of `"`). */
function pyStrQuoted(s: string, quote: '"' | "'"): string {
  return quote + escapeText(s, quote) + quote;
}

/**
 * Text that is safe inside a `#` comment: nothing in it can end the comment line.
 * Uses the same escaping as pyStr (backslashes doubled so the escape is unambiguous).
 * Example: pyComment("a\nb") === "a\\nb"
 */
export function pyComment(s: string): string {
  return escapeText(s, null);
}

/**
 * A Python int literal. Accepts a safe JS integer, a bigint, or a decimal digit string (the
 * expression lexer keeps int literals as text so big values survive).
 * Example: pyInt("007") === "7"; pyInt(-3) === "-3"
 */
export function pyInt(n: number | bigint | string): string {
  if (typeof n === "number") {
    if (!Number.isSafeInteger(n)) throw new Error(`pyInt: not a safe integer: ${n}`);
    return String(n);
  }
  if (typeof n === "bigint") return n.toString();
  if (!/^-?[0-9]+$/.test(n)) throw new Error(`pyInt: not a decimal integer: ${JSON.stringify(n)}`);
  return BigInt(n).toString();
}

/**
 * A Python float expression that round-trips `x` exactly (shortest repr, like Python's own).
 * Example: pyFloat(1) === "1.0"; pyFloat(0.1) === "0.1"; pyFloat(Infinity) === 'float("inf")'
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (x === Infinity) return 'float("inf")';
  if (x === -Infinity) return 'float("-inf")';
  if (Object.is(x, -0)) return "-0.0";
  // JS and Python both print the shortest digits that round-trip; JS omits ".0" and writes
  // "1e+21" — both forms are valid Python float literals once a ".0" marks integers as floats.
  const s = String(x);
  return /[.eE]/.test(s) ? s : s + ".0";
}

/** Example: pyBool(true) === "True" */
export const pyBool = (b: boolean): string => (b ? "True" : "False");

/** Example: pyNone() === "None" */
export const pyNone = (): string => "None";

/** A Python value this encoder knows how to write. */
export type PyValue = string | number | boolean | null | { readonly int: number | bigint | string } | { readonly float: number } | readonly PyValue[];

/**
 * Encode a plain value: strings via pyStr, JS numbers as int when integral, else float.
 * Example: pyValue(["a", 1, true, null]) === '["a", 1, True, None]'
 */
export function pyValue(v: PyValue): string {
  if (v === null) return pyNone();
  if (typeof v === "string") return pyStr(v);
  if (typeof v === "boolean") return pyBool(v);
  if (typeof v === "number") return Number.isSafeInteger(v) ? pyInt(v) : pyFloat(v);
  if (Array.isArray(v)) return pyList(v.map((x) => pyValue(x)));
  if ("int" in v) return pyInt(v.int);
  if ("float" in v) return pyFloat(v.float);
  throw new Error("pyValue: unsupported value");
}

/**
 * A Python list from already-encoded items.
 * Example: pyList([pyStr("a"), pyStr("b")]) === '["a", "b"]'
 */
export function pyList(items: readonly string[]): string {
  return "[" + items.join(", ") + "]";
}

/**
 * A Python tuple from already-encoded items (a 1-tuple gets its trailing comma).
 * Example: pyTuple(["1"]) === "(1,)"
 */
export function pyTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : "(" + items.join(", ") + ")";
}

/**
 * A Python dict with string keys from already-encoded values, in the given order.
 * Example: pyDict([["a", "1"]]) === '{"a": 1}'
 */
export function pyDict(entries: readonly (readonly [string, string])[]): string {
  return "{" + entries.map(([k, v]) => `${pyStr(k)}: ${v}`).join(", ") + "}";
}

/**
 * Multi-line source text as a readable Python expression: a parenthesised concatenation of
 * one string literal per source line, each keeping its "\n". Lines after the first are
 * indented by `indent`; the caller places the result after `NAME = `. Source that uses more
 * double than single quotes gets single-quoted literals, so it reads without backslashes.
 * Example: pyMultiline("a\nb\n") === '(\n    "a\\n"\n    "b\\n"\n)'
 */
export function pyMultiline(s: string, indent = "    "): string {
  const quote = count(s, '"') > count(s, "'") ? "'" : '"';
  if (s === "") return '""';
  const pieces: string[] = [];
  let start = 0;
  while (start < s.length) {
    const nl = s.indexOf("\n", start);
    const end = nl === -1 ? s.length : nl + 1;
    pieces.push(s.slice(start, end));
    start = end;
  }
  return "(\n" + pieces.map((p) => indent + pyStrQuoted(p, quote) + "\n").join("") + ")";
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
