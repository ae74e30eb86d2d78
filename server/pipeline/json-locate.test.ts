// Tests for locating JSON syntax errors by line and column.
import { describe, expect, it } from "vitest";
import { locateJsonError } from "./json-locate";

describe("locateJsonError", () => {
  it.each([
    ['{"a": 1}', null],
    ["[1, -2.5e3, true, null, \"x\\u00e9\", {}]", null],
    ['{\n  "a": }', [2, 8, "expected a value but found '}'"]],
    ['{"a": 1,}', [1, 9, "expected a property name in double quotes but found '}'"]],
    ["[1, 2,]", [1, 7, "expected a value but found ']'"]],
    ['{"a" 1}', [1, 6, "expected ':' after a property name but found '1'"]],
    ["[1 2]", [1, 4, "expected ',' or ']' but found '2'"]],
    ["{} x", [1, 4, "unexpected 'x' after the end of the document"]],
    ['"abc', [1, 5, "unterminated string"]],
    ['"a\nb"', [1, 3, "unescaped line break or control character in a string"]],
    ['"\\x"', [1, 2, "invalid escape in a string"]],
    ["01", [1, 2, "unexpected '1' after the end of the document"]],
    ["-", [1, 1, "invalid number"]],
    ["", [1, 1, "unexpected end of the file"]],
    ["{'a': 1}", [1, 2, "expected a property name in double quotes but found '''"]],
  ])("%j", (text, expected) => {
    const r = locateJsonError(text);
    if (expected === null) {
      expect(r).toBeNull();
      expect(() => JSON.parse(text)).not.toThrow();
    } else {
      expect(() => JSON.parse(text)).toThrow();
      expect([r!.line, r!.column, r!.problem]).toEqual(expected);
    }
  });

  it("handles deep nesting without recursion", () => {
    expect(locateJsonError("[".repeat(200_000))?.problem).toBe("unexpected end of the file");
  });
});
