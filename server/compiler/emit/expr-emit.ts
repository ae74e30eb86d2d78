// Typed expression AST -> Ray Data expression source: col()/lit() with Python operators where
// Ray has them natively, and etl_runtime `fn.<name>(...)` helpers for everything else.
import type { Binary, Case, Expr, TypedExpr } from "../../pipeline/expr/ast";
import type { DataType } from "../../pipeline/types";
import { pyFloat, pyInt, pyStr, pyBool, pyNone, pyList, pyTuple } from "./python-literal";

/**
 * Expression-language function name -> etl_runtime `fn` helper. One table so the runtime's
 * list of helpers can be checked against it.
 */
export const FN_HELPERS: Readonly<Record<string, string>> = {
  coalesce: "coalesce",
  concat: "concat",
  substr: "substr",
  round: "round_to",
  length: "length",
  lower: "lower",
  upper: "upper",
  contains: "contains",
  starts_with: "starts_with",
  ends_with: "ends_with",
  year: "year",
  month: "month",
  day: "day",
  abs: "abs",
  if: "if_else",
};

/** Every `fn.<name>` the emitter may produce (the runtime must provide all of them). */
export const RUNTIME_FN_NAMES: readonly string[] = [...new Set([...Object.values(FN_HELPERS), "div", "mod", "case", "if_else", "cast"])].sort();

/** Helpers taking an optional `type=` result-type hint (see runtime/etl_runtime/fn.py). */
const TYPED_HELPERS: ReadonlySet<string> = new Set(["coalesce", "if_else", "case", "round_to"]);
/** Types the runtime's dtypes table knows (null/unknown/nested types get no hint). */
const HINTABLE_TYPES: ReadonlySet<DataType> = new Set<DataType>([
  "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "string", "binary", "date32", "timestamp",
]);

// Python binding strength, higher binds tighter (https://docs.python.org/3/reference/expressions.html#operator-precedence).
const ATOM = 100;
const UNARY = 80;
const MUL = 70;
const ADD = 60;
const AND = 50;
const OR = 40;
const CMP = 30;

interface Py {
  readonly code: string;
  readonly prec: number;
  /** For & and |: which one, so mixing them is parenthesised for the reader. */
  readonly logical?: "&" | "|";
}

const atom = (code: string): Py => ({ code, prec: ATOM });

const BINARY: Readonly<Record<Exclude<Binary["op"], "/">, { py: string; prec: number }>> = {
  "+": { py: "+", prec: ADD },
  "-": { py: "-", prec: ADD },
  "*": { py: "*", prec: MUL },
  "%": { py: "%", prec: MUL },
  "=": { py: "==", prec: CMP },
  "!=": { py: "!=", prec: CMP },
  "<": { py: "<", prec: CMP },
  "<=": { py: "<=", prec: CMP },
  ">": { py: ">", prec: CMP },
  ">=": { py: ">=", prec: CMP },
  and: { py: "&", prec: AND },
  or: { py: "|", prec: OR },
};

/**
 * Python source for a type-checked expression.
 * Example: emitExpr(analyzeExpr("helpful_votes / total_votes", schema))
 *   === 'fn.div(col("helpful_votes"), col("total_votes"))'
 */
export function emitExpr(te: TypedExpr): string {
  return new ExprEmitter(te).emit(te.expr).code;
}

/** The names an emitted expression needs imported: "col", "lit" (ray.data.expressions), "fn" (etl_runtime). */
export type ExprImport = "col" | "lit" | "fn";

/**
 * Which of col / lit / fn an expression's code uses, so the script imports only those.
 * Example: exprImports(analyzeExpr("a + 1", schema).typed!) // Set {"col", "lit"}
 */
export function exprImports(te: TypedExpr): ReadonlySet<ExprImport> {
  const e = new ExprEmitter(te);
  e.emit(te.expr);
  return e.uses;
}

class ExprEmitter {
  readonly uses = new Set<ExprImport>();
  constructor(private readonly te: TypedExpr) {}

  emit(e: Expr): Py {
    switch (e.kind) {
      case "column":
        this.uses.add("col");
        return atom(`col(${pyStr(e.name)})`);
      case "literal": {
        this.uses.add("lit");
        const code = `lit(${literal(e.type, e.value, e.text, false)})`;
        // A string compared with a date/timestamp column is typed as that temporal type.
        const as = this.te.types.get(e);
        if (e.type === "string" && (as === "date32" || as === "timestamp")) return this.call("cast", [code, pyStr(as)]);
        return atom(code);
      }
      case "unary":
        if (e.op === "not") return { code: "~" + this.wrap(this.emit(e.operand), UNARY), prec: UNARY };
        if (e.operand.kind === "literal" && (e.operand.type === "int" || e.operand.type === "float")) {
          this.uses.add("lit");
          return atom(`lit(${literal(e.operand.type, e.operand.value, e.operand.text, true)})`);
        }
        // Ray's Expr has no __neg__; negate() is its arithmetic negation.
        return atom(this.wrap(this.widened(e.operand, this.te.types.get(e)), ATOM) + ".negate()");
      case "binary":
        return this.binary(e);
      case "is-null":
        return atom(this.wrap(this.emit(e.operand), ATOM) + (e.negated ? ".is_not_null()" : ".is_null()"));
      case "cast":
        return this.call("cast", [this.emit(e.operand).code, pyStr(e.to)]);
      case "call": {
        const helper = FN_HELPERS[e.name.toLowerCase()];
        if (helper === undefined) throw new Error(`emitExpr: function ${e.name} has no runtime helper`);
        // abs keeps its argument's type in Arrow; the language widens it (abs(int32) is int64).
        const args = helper === "abs" ? [this.widened(e.args[0], this.te.types.get(e)).code] : e.args.map((a) => this.emit(a).code);
        return this.call(helper, [...args, ...this.typeHint(e, helper)]);
      }
      case "case":
        return this.caseExpr(e);
      default: {
        const never: never = e;
        throw new Error(`emitExpr: unknown expression ${JSON.stringify(never)}`);
      }
    }
  }

  private call(name: string, args: readonly string[]): Py {
    this.uses.add("fn");
    return atom(`fn.${name}(${args.join(", ")})`);
  }

  private binary(e: Binary): Py {
    if (e.op === "/") return this.call("div", [this.emit(e.left).code, this.emit(e.right).code]);
    const type = this.te.types.get(e);
    // String "+" is concatenation; Ray's "+" is arithmetic only.
    if (e.op === "+" && type === "string") return this.call("concat", [this.emit(e.left).code, this.emit(e.right).code]);
    const arithmetic = e.op === "+" || e.op === "-" || e.op === "*" || e.op === "%";
    const [l, r] = arithmetic ? this.arithmeticSides(e, type) : [this.emit(e.left), this.emit(e.right)];
    // Ray's % is floor(divide) computed in floats (float64 even for ints) and fails on a zero
    // divisor; the language's % keeps integers and yields null on 0.
    if (e.op === "%") return this.call("mod", [l.code, r.code]);
    const { py, prec } = BINARY[e.op];
    const logical = py === "&" || py === "|" ? py : undefined;
    const left = this.operand(l, prec, logical, false);
    const right = this.operand(r, prec, logical, true);
    return { code: `${left} ${py} ${right}`, prec, logical };
  }

  /**
   * Operands of + - * % such that Arrow computes in the checker's result type. Arrow keeps
   * the operands' type (int32 + 1 stays int32 and wraps around; int32 * 2.5 is float32) while
   * the language widens to int64/float64: unless a non-literal operand already has the result
   * type, the first non-literal operand is cast to it (Arrow then promotes the other side).
   */
  private arithmeticSides(e: Binary, to: DataType | undefined): [Py, Py] {
    const sides = [e.left, e.right];
    const isLit = (x: Expr) => x.kind === "literal" || (x.kind === "unary" && x.operand.kind === "literal");
    const exact = to === undefined || (to !== "int64" && to !== "float64") || sides.some((x) => !isLit(x) && this.te.types.get(x) === to);
    const castAt = exact ? -1 : sides.findIndex((x) => !isLit(x) && this.te.types.get(x) !== "null");
    const out = sides.map((x, i) => (i === castAt ? this.call("cast", [this.emit(x).code, pyStr(to!)]) : this.emit(x)));
    return [out[0], out[1]];
  }

  /** An operand cast to `to` when the checker typed it differently (for unary minus and abs). */
  private widened(side: Expr, to: DataType | undefined): Py {
    const from = this.te.types.get(side);
    if (to === undefined || from === undefined || from === to || from === "null" || (to !== "int64" && to !== "float64")) return this.emit(side);
    return this.call("cast", [this.emit(side).code, pyStr(to)]);
  }

  /** Parenthesise an operand when Python would bind it differently or a reader might misread it. */
  private operand(child: Py, prec: number, logical: "&" | "|" | undefined, isRight: boolean): string {
    let paren = child.prec < prec;
    // Comparisons chain in Python (a < b < c): never let one be a bare comparison operand.
    if (prec === CMP && child.prec === CMP) paren = true;
    // a - (b - c), a % (b * c): left-associative operators need parens on an equal right side.
    if (isRight && child.prec === prec && prec !== AND && prec !== OR) paren = true;
    // Mixing & and | is legal but easy to misread.
    if (logical && child.logical && child.logical !== logical) paren = true;
    return paren ? `(${child.code})` : child.code;
  }

  private wrap(child: Py, prec: number): string {
    return child.prec < prec ? `(${child.code})` : child.code;
  }

  private caseExpr(e: Case): Py {
    const { branches, otherwise } = e;
    if (branches.length === 1 && otherwise !== null) {
      const b = branches[0];
      return this.call("if_else", [this.emit(b.when).code, this.emit(b.then).code, this.emit(otherwise).code, ...this.typeHint(e, "if_else")]);
    }
    const pairs = branches.map((b) => pyTuple([this.emit(b.when).code, this.emit(b.then).code]));
    if (otherwise === null) this.uses.add("lit");
    return this.call("case", [pyList(pairs), otherwise === null ? "lit(None)" : this.emit(otherwise).code, ...this.typeHint(e, "case")]);
  }

  /**
   * `type="..."` for helpers whose result type depends on their inputs: the checker knows it,
   * and passing it makes the declared column type exact (the runtime casts to it).
   */
  private typeHint(e: Expr, helper: string): string[] {
    if (!TYPED_HELPERS.has(helper)) return [];
    const t = this.te.types.get(e);
    return t !== undefined && HINTABLE_TYPES.has(t) ? [`type=${pyStr(t)}`] : [];
  }
}

/** A Python literal for an expression-language literal (`negate` folds a unary minus in). */
function literal(type: "int" | "float" | "string" | "bool" | "null", value: unknown, text: string, negate: boolean): string {
  const sign = negate ? "-" : "";
  switch (type) {
    case "int": {
      const digits = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : text.replace(/_/g, "");
      return pyInt(sign + digits.replace(/^[+]/, ""));
    }
    case "float": {
      const x = typeof value === "number" ? value : Number(text);
      return pyFloat(negate ? -x : x);
    }
    case "string":
      return pyStr(String(value));
    case "bool":
      return pyBool(value === true);
    case "null":
      return pyNone();
    default: {
      const never: never = type;
      throw new Error(`emitExpr: unknown literal type ${String(never)}`);
    }
  }
}
