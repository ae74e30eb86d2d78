// Recursive-descent / precedence-climbing parser for the expression language.
// Precedence (low -> high): or, and, not, comparisons, is [not] null, + -, * / %, unary -.
// Stops at the first syntax error: later errors would mostly be echoes of the first.
import type { BinaryOp, Case, Expr, Range } from "./ast";
import type { DataType } from "../types";
import { clip } from "../suggest";
import { exprError, type ExprError } from "./errors";
import { tokenize, type Token } from "./lexer";

/** Words that cannot be bare column names (backquote them: `end`). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "and", "or", "not", "is", "null", "true", "false", "case", "when", "then", "else", "end",
]);

/** Type names accepted by `cast(x as TYPE)` and the Arrow type each denotes. */
export const CAST_TYPES: Readonly<Record<string, DataType>> = {
  bool: "bool", int: "int64", int64: "int64", float: "float64", float64: "float64",
  string: "string", date: "date32", timestamp: "timestamp",
};

export const PREC = { or: 1, and: 2, not: 3, cmp: 4, is: 5, add: 6, mul: 7, unary: 8, primary: 9 } as const;

const BINARY: Record<string, { op: BinaryOp; prec: number }> = {
  "=": { op: "=", prec: PREC.cmp }, "==": { op: "=", prec: PREC.cmp },
  "!=": { op: "!=", prec: PREC.cmp }, "<>": { op: "!=", prec: PREC.cmp },
  "<": { op: "<", prec: PREC.cmp }, "<=": { op: "<=", prec: PREC.cmp },
  ">": { op: ">", prec: PREC.cmp }, ">=": { op: ">=", prec: PREC.cmp },
  "+": { op: "+", prec: PREC.add }, "-": { op: "-", prec: PREC.add },
  "*": { op: "*", prec: PREC.mul }, "/": { op: "/", prec: PREC.mul }, "%": { op: "%", prec: PREC.mul },
};

// Keeps every later tree walk (checker, printer, compiler) far from the call-stack limit.
const MAX_TOKENS = 5000;
/**
 * Deepest expression tree accepted. Parentheses are bounded while parsing, but a plain chain
 * like `a + b + c + ...` builds a tree as deep as it is long: 2400 terms overflowed the
 * checker's stack (found by fuzzing), and the generated Python nests a call per level
 * (fn.div(fn.div(a, b), c)) where CPython stops at 200 nested parentheses.
 */
export const MAX_EXPR_DEPTH = 64;

/** Thrown internally to unwind on the first syntax error; never escapes parseExpr. */
class SyntaxStop {
  constructor(readonly error: ExprError) {}
}

/**
 * Parses expression text into an AST, or reports syntax errors with character ranges.
 * Example: parseExpr("helpful_votes / total_votes").expr?.kind === "binary"
 */
export function parseExpr(text: string): { expr: Expr | null; errors: ExprError[] } {
  if (text.trim() === "") {
    return { expr: null, errors: [exprError("E_EXPR_EMPTY", "The expression is empty", [0, text.length], "Type a column name, e.g. total_votes")] };
  }
  const { tokens, errors } = tokenize(text);
  if (errors.length > 0) return { expr: null, errors };
  if (tokens.length > MAX_TOKENS) {
    return { expr: null, errors: [exprError("E_EXPR_PARSE", `The expression is too long (over ${MAX_TOKENS} tokens)`, [0, text.length])] };
  }
  const p = new Parser(tokens);
  try {
    const expr = p.expression(0);
    p.expectEnd();
    if (treeDepth(expr) > MAX_EXPR_DEPTH) {
      return { expr: null, errors: [exprError("E_EXPR_PARSE", `The expression is nested too deeply (more than ${MAX_EXPR_DEPTH} levels of operators and calls)`,
        expr.range, "Split it over several add-column nodes, or use fewer chained operators")] };
    }
    return { expr, errors: [] };
  } catch (e) {
    if (e instanceof SyntaxStop) return { expr: null, errors: [e.error] };
    throw e;
  }
}

// Token text is the user's (a pasted paragraph can be one string token): clipped for messages.
/** Depth of an expression tree, walked without recursion (the tree may be too deep to recurse). */
function treeDepth(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_EXPR_DEPTH) return max;
    const children: Expr[] = e.kind === "unary" || e.kind === "is-null" || e.kind === "cast" ? [e.operand]
      : e.kind === "binary" ? [e.left, e.right]
      : e.kind === "call" ? [...e.args]
      : e.kind === "case" ? [...e.branches.flatMap((b) => [b.when, b.then]), ...(e.otherwise ? [e.otherwise] : [])]
      : [];
    for (const c of children) stack.push([c, d + 1]);
  }
  return max;
}

const describe = (t: Token) => (t.kind === "eof" ? "the end of the expression" : `'${clip(t.text)}'`);

class Parser {
  private pos = 0;
  // Guards the call stack against pathological input like 10 000 nested parentheses.
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.pos++;
    return t;
  }
  private isWord(t: Token, word: string): boolean {
    return t.kind === "ident" && t.value.toLowerCase() === word;
  }
  private fail(message: string, range: Range, hint?: string): never {
    throw new SyntaxStop(exprError("E_EXPR_PARSE", message, range, hint));
  }
  private expectWord(word: string, context: string): Token {
    const t = this.peek();
    if (!this.isWord(t, word)) this.fail(`Expected '${word}' ${context} but found ${describe(t)}`, t.range);
    return this.next();
  }
  private expectKind(kind: Token["kind"], what: string, context: string): Token {
    const t = this.peek();
    if (t.kind !== kind) this.fail(`Expected '${what}' ${context}`, t.range, t.kind === "eof" ? undefined : `Found ${describe(t)}`);
    return this.next();
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind === "eof") return;
    if (t.kind === "rparen") this.fail("Unmatched ')'", t.range);
    const hint = t.kind === "ident" || t.kind === "quoted" || t.kind === "int" || t.kind === "float" || t.kind === "string"
      ? "Is an operator such as + or and missing?" : undefined;
    this.fail(`Unexpected ${describe(t)} after the end of the expression`, t.range, hint);
  }

  /** Precedence climbing: parses operators binding at least as tightly as `minPrec`. */
  expression(minPrec: number): Expr {
    if (++this.depth > 200) this.fail("The expression is nested too deeply", this.peek().range);
    let left = this.prefix();
    for (;;) {
      const t = this.peek();
      if (this.isWord(t, "is") && PREC.is >= minPrec) {
        this.next();
        const negated = this.isWord(this.peek(), "not");
        if (negated) this.next();
        const nul = this.expectWord("null", "after 'is'" + (negated ? " not" : ""));
        left = { kind: "is-null", negated, operand: left, range: [left.range[0], nul.range[1]] };
        continue;
      }
      const info = t.kind === "op" ? BINARY[t.text] : this.isWord(t, "and") ? { op: "and" as const, prec: PREC.and }
        : this.isWord(t, "or") ? { op: "or" as const, prec: PREC.or } : undefined;
      if (!info || info.prec < minPrec) break;
      this.next();
      const right = this.expression(info.prec + 1);
      left = { kind: "binary", op: info.op, left, right, range: [left.range[0], right.range[1]] };
      if (info.prec === PREC.cmp) {
        const after = this.peek();
        if (after.kind === "op" && BINARY[after.text]?.prec === PREC.cmp) {
          this.fail("Comparisons cannot be chained", after.range, "Combine them with and, e.g. a < b and b < c");
        }
      }
    }
    this.depth--;
    return left;
  }

  private prefix(): Expr {
    const t = this.peek();
    if (this.isWord(t, "not")) {
      this.next();
      const operand = this.expression(PREC.not);
      return { kind: "unary", op: "not", operand, range: [t.range[0], operand.range[1]] };
    }
    if (t.kind === "op" && t.text === "-") {
      this.next();
      const operand = this.expression(PREC.unary);
      return { kind: "unary", op: "-", operand, range: [t.range[0], operand.range[1]] };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case "int":
        return { kind: "literal", type: "int", value: Number(t.text), text: t.text, range: t.range };
      case "float":
        return { kind: "literal", type: "float", value: Number(t.text), text: t.text, range: t.range };
      case "string":
        return { kind: "literal", type: "string", value: t.value, text: t.text, range: t.range };
      case "quoted":
        return { kind: "column", name: t.value, range: t.range };
      case "lparen": {
        const inner = this.expression(0);
        const close = this.peek();
        if (close.kind !== "rparen") this.fail(`Expected ')' to close '(' but found ${describe(close)}`, close.range);
        this.next();
        return inner;
      }
      case "ident":
        return this.word(t);
      default:
        return this.fail(`Expected a value but found ${describe(t)}`, t.range,
          t.kind === "eof" ? "The expression ends too early" : undefined);
    }
  }

  private word(t: Token): Expr {
    const lower = t.value.toLowerCase();
    if (lower === "true" || lower === "false") {
      return { kind: "literal", type: "bool", value: lower === "true", text: lower, range: t.range };
    }
    if (lower === "null") return { kind: "literal", type: "null", value: null, text: "null", range: t.range };
    if (lower === "case") return this.caseExpr(t);
    const callsFunction = this.peek().kind === "lparen";
    if (callsFunction && lower === "cast") return this.castExpr(t);
    if (callsFunction && lower === "if") return this.ifExpr(t);
    if (callsFunction) return this.call(t);
    if (RESERVED_WORDS.has(lower)) {
      this.fail(`Expected a value but found '${t.text}'`, t.range, `To use a column called ${t.text}, write \`${t.text}\``);
    }
    return { kind: "column", name: t.value, range: t.range };
  }

  private call(name: Token): Expr {
    this.next(); // (
    const args: Expr[] = [];
    if (this.peek().kind !== "rparen") {
      for (;;) {
        args.push(this.expression(0));
        if (this.peek().kind !== "comma") break;
        this.next();
      }
    }
    const close = this.peek();
    if (close.kind !== "rparen") {
      this.fail(`Expected ')' after arguments of ${clip(name.value.toLowerCase())}`, close.range,
        close.kind === "eof" ? undefined : `Found ${describe(close)}; separate arguments with commas`);
    }
    this.next();
    return { kind: "call", name: name.value.toLowerCase(), args, range: [name.range[0], close.range[1]], nameRange: name.range };
  }

  private castExpr(start: Token): Expr {
    this.next(); // (
    const operand = this.expression(0);
    this.expectWord("as", "in cast(x as TYPE)");
    const typeTok = this.peek();
    const typeName = typeTok.kind === "ident" ? typeTok.value.toLowerCase() : "";
    const to = Object.hasOwn(CAST_TYPES, typeName) ? CAST_TYPES[typeName] : undefined;
    if (to === undefined) {
      this.fail(`Unknown type ${describe(typeTok)} in cast`, typeTok.range, `Use one of ${Object.keys(CAST_TYPES).join(", ")}`);
    }
    this.next();
    const close = this.expectKind("rparen", ")", "after the type in cast(x as TYPE)");
    return { kind: "cast", operand, to, range: [start.range[0], close.range[1]] };
  }

  private ifExpr(start: Token): Case {
    const call = this.call(start);
    if (call.kind !== "call") throw new Error("unreachable");
    if (call.args.length !== 3) {
      throw new SyntaxStop(exprError("E_EXPR_ARITY", `if expects 3 arguments (condition, then, else), got ${call.args.length}`,
        call.range, "Example: if(total_votes > 100, 'popular', 'niche')"));
    }
    return { kind: "case", branches: [{ when: call.args[0], then: call.args[1] }], otherwise: call.args[2], range: call.range };
  }

  private caseExpr(start: Token): Case {
    const branches: { when: Expr; then: Expr }[] = [];
    while (this.isWord(this.peek(), "when")) {
      this.next();
      const when = this.expression(0);
      this.expectWord("then", "after the condition of 'when'");
      branches.push({ when, then: this.expression(0) });
    }
    if (branches.length === 0) this.fail(`Expected 'when' after 'case' but found ${describe(this.peek())}`, this.peek().range);
    let otherwise: Expr | null = null;
    if (this.isWord(this.peek(), "else")) {
      this.next();
      otherwise = this.expression(0);
    }
    const end = this.expectWord("end", "to close 'case'");
    return { kind: "case", branches, otherwise, range: [start.range[0], end.range[1]] };
  }
}
