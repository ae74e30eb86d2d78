// Tests for the expression tokenizer.
import { describe, expect, it } from "vitest";
import { tokenize } from "./lexer";

const kinds = (text: string) => tokenize(text).tokens.map((t) => t.kind);
const values = (text: string) => tokenize(text).tokens.slice(0, -1).map((t) => t.value);

describe("tokenize", () => {
  it("splits identifiers, numbers, operators and punctuation", () => {
    expect(kinds("round(a, 2) >= 1.5")).toEqual(["ident", "lparen", "ident", "comma", "int", "rparen", "op", "float", "eof"]);
  });

  it("reads decimals in every spelling", () => {
    expect(tokenize("1.5 .5 1e3 2E-2 1.").tokens.slice(0, -1).map((t) => [t.kind, t.text])).toEqual([
      ["float", "1.5"], ["float", ".5"], ["float", "1e3"], ["float", "2E-2"], ["float", "1."],
    ]);
  });

  it("prefers two-character operators", () => {
    expect(values("a<>b<=c==d!=e")).toEqual(["a", "<>", "b", "<=", "c", "==", "d", "!=", "e"]);
  });

  it("decodes string escapes in both quote styles", () => {
    expect(values(String.raw`'it\'s' "a\"b" '\\ \n \t \u00e9'`)).toEqual(["it's", 'a"b', "\\ \n \t é"]);
  });

  it("decodes doubled backquotes in quoted names", () => {
    const t = tokenize("`review date` + `a``b`").tokens;
    expect([t[0].kind, t[0].value, t[2].value]).toEqual(["quoted", "review date", "a`b"]);
  });

  it("keeps ranges as [start, end)", () => {
    expect(tokenize("  abc  ").tokens[0].range).toEqual([2, 5]);
  });

  it.each([
    ["'abc", "Unterminated string: missing closing '", [0, 4]],
    ["`abc", "Unterminated column name: missing closing `", [0, 4]],
    ["a ! b", "Unexpected character '!'", [2, 3]],
    ["1abc", "Invalid number '1abc'", [0, 4]],
    ["'a\\qb'", "Unknown escape '\\q' in string", [2, 4]],
    ["``", "Empty column name in backquotes", [0, 2]],
  ])("reports %s", (text, message, range) => {
    const { errors } = tokenize(text);
    expect(errors[0]).toMatchObject({ code: "E_EXPR_PARSE", message, range });
  });
});
