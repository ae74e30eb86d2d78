// Finds where a JSON text first goes wrong, as line and column. JSON.parse's own messages differ
// between engines (and Node 20 often omits the position), so the canvas and CLI use this instead.
// Iterative, so deeply nested input cannot overflow the stack.

export interface JsonErrorLocation {
  readonly offset: number;
  /** 1-based */
  readonly line: number;
  /** 1-based, in UTF-16 code units */
  readonly column: number;
  readonly problem: string;
}

type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "comma-or-close" | "end";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

/**
 * The first syntax error in `text`, or null when it is valid JSON.
 * Example: locateJsonError('{\n  "a": }') -> { offset: 9, line: 2, column: 8, problem: "expected a value but found '}'" }
 */
export function locateJsonError(text: string): JsonErrorLocation | null {
  const stack: ("[" | "{")[] = [];
  let expect: Expect = "value";
  let i = 0;
  const fail = (at: number, problem: string) => at2loc(text, at, problem);
  const found = (at: number) => (at >= text.length ? "the end of the file" : `'${text[at]}'`);
  const afterValue = () => (stack.length === 0 ? "end" : "comma-or-close");

  for (;;) {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
    if (i >= text.length) return expect === "end" ? null : fail(i, "unexpected end of the file");
    const c = text[i];
    switch (expect) {
      case "end":
        return fail(i, `unexpected ${found(i)} after the end of the document`);
      case "colon":
        if (c !== ":") return fail(i, `expected ':' after a property name but found ${found(i)}`);
        i++;
        expect = "value";
        continue;
      case "key":
      case "key-or-close":
        if (c === "}" && expect === "key-or-close") {
          stack.pop();
          i++;
          expect = afterValue();
          continue;
        }
        if (c !== '"') return fail(i, `expected a property name in double quotes but found ${found(i)}`);
        {
          const end = scanString(text, i);
          if (typeof end !== "number") return fail(end.at, end.problem);
          i = end;
        }
        expect = "colon";
        continue;
      case "comma-or-close": {
        const top = stack[stack.length - 1];
        if (c === ",") {
          i++;
          expect = top === "[" ? "value" : "key";
        } else if ((c === "]" && top === "[") || (c === "}" && top === "{")) {
          stack.pop();
          i++;
          expect = afterValue();
        } else {
          return fail(i, `expected ',' or '${top === "[" ? "]" : "}"}' but found ${found(i)}`);
        }
        continue;
      }
      case "value":
      case "value-or-close": {
        if (c === "]" && expect === "value-or-close") {
          stack.pop();
          i++;
          expect = afterValue();
          continue;
        }
        if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          expect = c === "{" ? "key-or-close" : "value-or-close";
          continue;
        }
        if (c === '"') {
          const end = scanString(text, i);
          if (typeof end !== "number") return fail(end.at, end.problem);
          i = end;
        } else if (c === "-" || (c >= "0" && c <= "9")) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return fail(i, `invalid number`);
          i = NUMBER.lastIndex;
        } else {
          const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
          if (!word) return fail(i, `expected a value but found ${found(i)}`);
          i += word.length;
        }
        expect = afterValue();
        continue;
      }
    }
  }
}

/** Scans a string starting at its opening quote; returns the index after the closing quote, or the problem. */
function scanString(text: string, start: number): number | { at: number; problem: string } {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { at: i, problem: "unescaped line break or control character in a string" };
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) return { at: i, problem: "invalid \\u escape in a string" };
        i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        i++;
      } else {
        return { at: i, problem: "invalid escape in a string" };
      }
    }
  }
  return { at: text.length, problem: "unterminated string" };
}

function at2loc(text: string, offset: number, problem: string): JsonErrorLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1, problem };
}
