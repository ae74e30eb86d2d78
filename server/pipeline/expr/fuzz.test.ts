// Fuzzing the expression language: expressions from a grammar-shaped generator, byte-level
// damage to valid ones, and random text. The editor runs these on every keystroke, so whatever
// is typed must come back as errors with codes from the one list and ranges inside the text —
// never an exception — and what parses must print to text that parses back to the same thing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mutatedText, trickyText } from "../../fuzz/documents";
import { expression, SCHEMA, VALID_EXPRESSIONS as VALID } from "../../fuzz/expressions";
import { DIAGNOSTIC_CODES } from "../diagnostics";
import { analyzeExpr, checkExpr, completions, parseExpr, printExpr } from "./index";

const SEED = 20261202;

/** What breaks the editor's contract for one text (empty when nothing does). One expect per input keeps 10 000 inputs fast. */
function problems(text: string): string[] {
  const out: string[] = [];
  const parsed = parseExpr(text);
  for (const e of [...parsed.errors, ...analyzeExpr(text, SCHEMA).errors]) {
    if (!Object.hasOwn(DIAGNOSTIC_CODES, e.code)) out.push(`unknown code ${e.code}`);
    if (!(e.range[0] >= 0 && e.range[0] <= e.range[1] && e.range[1] <= text.length)) out.push(`range ${e.range} outside [0, ${text.length}]`);
    if (e.message.length === 0 || e.message.length >= 1000) out.push(`message of ${e.message.length} characters`);
  }
  if ((parsed.expr === null) !== (parsed.errors.length > 0)) out.push("an expression and errors, or neither");
  completions(text, text.length, SCHEMA);
  completions(text, text.length >> 1, SCHEMA);
  if (parsed.expr === null) return out;
  // Canvas summaries print the expression; the printed text must mean the same thing.
  const printed = printExpr(parsed.expr);
  const again = parseExpr(printed);
  if (again.expr === null) return [...out, `printed form ${printed} does not parse: ${again.errors[0].message}`];
  if (printExpr(again.expr) !== printed) out.push(`printing is not stable: ${printed} -> ${printExpr(again.expr)}`);
  const typed = checkExpr(parsed.expr, SCHEMA);
  const retyped = checkExpr(again.expr, SCHEMA);
  const sig = (r: typeof typed) => `${r.typed?.type}/${r.typed?.nullable}/${r.errors.map((e) => e.code).join(",")}`;
  if (sig(typed) !== sig(retyped)) out.push(`printed form ${printed} types as ${sig(retyped)}, the original as ${sig(typed)}`);
  return out;
}

const checkText = (text: string): void => {
  expect(problems(text), text.slice(0, 200)).toEqual([]);
};

describe("expression language under fuzzing", () => {
  it("the valid examples parse and type-check", () => {
    for (const text of VALID) expect(analyzeExpr(text, SCHEMA).errors, text).toEqual([]);
  });

  it("grammar-shaped expressions (2000 inputs)", () => {
    fc.assert(fc.property(expression, checkText), { seed: SEED, numRuns: 2000 });
  });

  it("byte-level damage to valid and generated expressions (2000 inputs)", () => {
    const damaged = fc.oneof(mutatedText(VALID), expression.chain((e) => mutatedText([e])));
    fc.assert(fc.property(damaged, checkText), { seed: SEED + 1, numRuns: 2000 });
  });

  it("random text (2000 inputs)", () => {
    const text = fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.string({ unit: "grapheme-ascii", maxLength: 60 }), trickyText);
    fc.assert(fc.property(text, checkText), { seed: SEED + 2, numRuns: 2000 });
  });

  it("pathological sizes: deep nesting, long chains, huge tokens, many errors", () => {
    const cases = [
      "(".repeat(20_000) + "1" + ")".repeat(20_000),
      "(".repeat(199) + "1" + ")".repeat(199),
      "-".repeat(10_000) + "1",
      "not ".repeat(10_000) + "vine",
      "1 + ".repeat(2_400) + "1",
      "total_votes * ".repeat(2_400) + "2",
      "total_votes / ".repeat(63) + "2",
      "concat(".repeat(150) + "'a'" + ", 'b')".repeat(150),
      "case " + "when vine then 1 ".repeat(2_000) + "end",
      "'" + "x".repeat(200_000) + "'",
      "`" + "c".repeat(200_000) + "`",
      "9".repeat(20_000),
      "€".repeat(100_000),
      "'\\q".repeat(20_000) + "'",
      "a ".repeat(20_000),
    ];
    for (const c of cases) checkText(c);
  });
});
