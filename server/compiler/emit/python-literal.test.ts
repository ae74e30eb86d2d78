// The literal encoder: exact output for tricky inputs, and a Python round-trip of each.
import { describe, expect, it } from "vitest";
import { pyBool, pyComment, pyDict, pyFloat, pyInt, pyList, pyMultiline, pyNone, pyStr, pyTuple, pyValue } from "./python-literal";
import { spawnSync } from "node:child_process";

const PYTHON = new URL("../../../.venv/bin/python", import.meta.url).pathname;

/** Evaluate Python expressions in one process; ints come back as decimal strings. */
function pythonEval(exprs: readonly string[]): unknown[] {
  const script = [
    "import json, sys",
    "out = []",
    "for src in json.load(sys.stdin):",
    "    v = eval(src)",
    "    out.append(str(v) if isinstance(v, int) and not isinstance(v, bool) else v)",
    "sys.stdout.write(json.dumps(out))",
  ].join("\n");
  const r = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(exprs), encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as unknown[];
}

describe("pyStr", () => {
  it.each([
    ["", '""'],
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["it's", '"it\'s"'],
    ["back\\slash", '"back\\\\slash"'],
    ["a\nb\r\tc", '"a\\nb\\r\\tc"'],
    ["nul\0", '"nul\\x00"'],
    ["del\x7f", '"del\\x7f"'],
    ["nel\u0085", '"nel\\x85"'],
    ["ls\u2028ps\u2029", '"ls\\u2028ps\\u2029"'],
    ["bidi\u202eevil", '"bidi\\u202eevil"'],
    ["lone\ud800", '"lone\\ud800"'],
    ["low\udc00first", '"low\\udc00first"'],
    ["emoji 🎉 ok", '"emoji 🎉 ok"'],
    ["zwj 👩‍💻", '"zwj 👩‍💻"'],
    ["café naïve 日本", '"café naïve 日本"'],
    ['"""triple"""', '"\\"\\"\\"triple\\"\\"\\""'],
  ])("encodes %j", (input, expected) => {
    expect(pyStr(input)).toBe(expected);
  });

  it("never lets a line break through", () => {
    for (const ch of ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]) {
      expect(pyStr("a" + ch + "b")).not.toContain(ch);
    }
  });
});

describe("pyComment", () => {
  it("escapes what could end the comment, keeps quotes", () => {
    expect(pyComment("a\nb")).toBe("a\\nb");
    expect(pyComment('say "hi" \\ it\'s')).toBe('say "hi" \\\\ it\'s');
    expect(pyComment("x\u2028y\r")).toBe("x\\u2028y\\r");
  });
});

describe("numbers and constants", () => {
  it("writes ints exactly, including big ones", () => {
    expect(pyInt(0)).toBe("0");
    expect(pyInt(-3)).toBe("-3");
    expect(pyInt("007")).toBe("7");
    expect(pyInt("9223372036854775808")).toBe("9223372036854775808");
    expect(pyInt(12345678901234567890n)).toBe("12345678901234567890");
    expect(() => pyInt(1.5)).toThrow();
    expect(() => pyInt("1e3")).toThrow();
  });

  it("writes floats as the shortest repr, always a float", () => {
    expect(pyFloat(1)).toBe("1.0");
    expect(pyFloat(0.1)).toBe("0.1");
    expect(pyFloat(-0)).toBe("-0.0");
    expect(pyFloat(1e21)).toBe("1e+21");
    expect(pyFloat(1e16)).toBe("10000000000000000.0");
    expect(pyFloat(5e-324)).toBe("5e-324");
    expect(pyFloat(Infinity)).toBe('float("inf")');
    expect(pyFloat(-Infinity)).toBe('float("-inf")');
    expect(pyFloat(NaN)).toBe('float("nan")');
  });

  it("writes constants and containers", () => {
    expect(pyBool(true)).toBe("True");
    expect(pyNone()).toBe("None");
    expect(pyList([pyStr("a"), pyInt(1)])).toBe('["a", 1]');
    expect(pyTuple(["1"])).toBe("(1,)");
    expect(pyTuple(["1", "2"])).toBe("(1, 2)");
    expect(pyDict([["k\n", pyBool(false)]])).toBe('{"k\\n": False}');
    expect(pyValue(["a", 1, 1.5, true, null, { int: "12" }, { float: 2 }])).toBe('["a", 1, 1.5, True, None, 12, 2.0]');
  });
});

describe("pyMultiline", () => {
  it("puts one literal per source line", () => {
    expect(pyMultiline("def keep(batch):\n    return batch\n")).toBe(
      '(\n    "def keep(batch):\\n"\n    "    return batch\\n"\n)',
    );
    expect(pyMultiline("no newline")).toBe('(\n    "no newline"\n)');
    expect(pyMultiline("")).toBe('""');
    expect(pyMultiline('x = b["a"]\ny = "it\'s"\n')).toBe("(\n    'x = b[\"a\"]\\n'\n    'y = \"it\\'s\"\\n'\n)");
  });
});

describe("round-trip through Python", () => {
  const values = [
    "", "plain", 'q"uo\'te', "\\", "\\\\n", "a\nb", "\r\n", "\0", "\x7f\x85\u2028\u2029", "\ud800", "x\udfffy",
    "🎉👩‍💻", "'''", '"""', 'say "hi"\nto "you"', "\t\x0b\x0c", "\u202e\u2066", "\uFEFF", "é\u0301",
  ];
  it("evaluates every pyStr / pyMultiline / pyComment-free literal back to the same value", () => {
    const exprs = [...values.map(pyStr), ...values.map((v) => pyMultiline(v))];
    const got = pythonEval(exprs);
    expect(got).toEqual([...values, ...values]);
  });

  it("evaluates numbers back exactly", () => {
    const floats = [0.1, 1 / 3, 1e21, 1e-7, 123456789.125, 5e-324, Number.MAX_VALUE, -2.5];
    const got = pythonEval([...floats.map(pyFloat), 'repr(' + pyFloat(Infinity) + ")", pyInt("123456789012345678901234567890")]);
    expect(got.slice(0, floats.length)).toEqual(floats);
    expect(got[floats.length]).toBe("inf");
    expect(got[floats.length + 1]).toBe("123456789012345678901234567890");
  });
});
