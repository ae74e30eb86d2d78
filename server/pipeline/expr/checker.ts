// Type checker for the expression language: resolves columns against the input schema, types
// every node (see type-rules.ts) and reports every independent error, not just the first.
// A subtree that failed yields null so one mistake does not cascade into several messages.
import type { Binary, Call, Case, Expr, Literal, TypedExpr } from "./ast";
import type { DataType, Column, Schema } from "../types";
import { isNumeric } from "../types";
import { clip, didYouMean } from "../suggest";
import { exprError, type ExprError, type ExprErrorCode } from "./errors";
import { FUNCTION_ALIASES, FUNCTION_INDEX, fitsParam, PARAM_WORDS, paramKind, type ArgInfo } from "./functions";
import {
  arithmeticType, castAllowed, castNullable, commonType, comparable, isNullType, isNumericOrNull, isTemporal,
  isTemporalLiteral, widenNumeric, type TypeInfo,
} from "./type-rules";

const INT64_MAX = 2n ** 63n - 1n;
const VERBS: Record<string, string> = { "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "%": "take the remainder of" };

/**
 * Type-checks a parsed expression against the columns flowing into the node.
 * Example: checkExpr(parseExpr("helpful_votes / total_votes").expr!, REVIEWS_SCHEMA).typed?.type === "float64"
 */
export function checkExpr(expr: Expr, schema: Schema): { typed: TypedExpr | null; errors: ExprError[] } {
  const c = new Checker(schema);
  const root = c.visit(expr);
  if (root === null || c.errors.length > 0) return { typed: null, errors: c.errors };
  return { typed: { expr, type: root.type, nullable: root.nullable, types: c.types, columns: [...c.columns] }, errors: [] };
}

class Checker {
  readonly errors: ExprError[] = [];
  readonly types = new Map<Expr, DataType>();
  readonly columns = new Set<string>();
  private readonly byName: Map<string, Column>;

  constructor(private readonly schema: Schema) {
    this.byName = new Map(schema.map((c) => [c.name, c]));
  }

  private error(code: ExprErrorCode, message: string, e: Expr | readonly [number, number], hint?: string): null {
    this.errors.push(exprError(code, message, "kind" in e ? e.range : e, hint));
    return null;
  }

  visit(e: Expr): TypeInfo | null {
    const t = this.infer(e);
    if (t !== null && !this.types.has(e)) this.types.set(e, t.type);
    return t;
  }

  private infer(e: Expr): TypeInfo | null {
    switch (e.kind) {
      case "column": {
        const col = this.byName.get(e.name);
        if (!col) {
          return this.error("E_COLUMN_UNKNOWN", `Unknown column '${clip(e.name)}'`, e, didYouMean(e.name, this.byName.keys()));
        }
        this.columns.add(col.name);
        return { type: col.type, nullable: col.nullable };
      }
      case "literal":
        return this.literal(e, false);
      case "unary": {
        if (e.op === "-" && e.operand.kind === "literal" && e.operand.type === "int") {
          const lit = this.literal(e.operand, true);
          if (lit) this.types.set(e.operand, lit.type);
          return lit;
        }
        const t = this.visit(e.operand);
        if (t === null) return null;
        if (e.op === "not") {
          if (t.type !== "bool" && !isNullType(t.type)) return this.error("E_EXPR_TYPE", `not needs a bool, got ${t.type}`, e.operand);
          return { type: "bool", nullable: t.nullable };
        }
        if (!isNumericOrNull(t.type)) return this.error("E_EXPR_TYPE", `Cannot negate ${t.type}`, e.operand);
        return { type: widenNumeric(t.type), nullable: t.nullable };
      }
      case "binary":
        return this.binary(e);
      case "is-null": {
        const t = this.visit(e.operand);
        return t === null ? null : { type: "bool", nullable: false };
      }
      case "call":
        return this.call(e);
      case "cast": {
        const t = this.visit(e.operand);
        if (t === null) return null;
        if (!castAllowed(t.type, e.to)) return this.error("E_EXPR_TYPE", `Cannot cast ${t.type} to ${e.to}`, e);
        return { type: e.to, nullable: castNullable(t, e.to) };
      }
      case "case":
        return this.caseExpr(e);
    }
  }

  private literal(e: Literal, negated: boolean): TypeInfo | null {
    switch (e.type) {
      case "int": {
        const limit = negated ? INT64_MAX + 1n : INT64_MAX;
        if (BigInt(e.text) > limit) {
          return this.error("E_EXPR_TYPE", `The number ${clip(e.text)} is too large for int64`, e, `Write it as a decimal: ${clip(e.text)}.0`);
        }
        return { type: "int64", nullable: false };
      }
      case "float":
        if (!Number.isFinite(Number(e.text))) return this.error("E_EXPR_TYPE", `The number ${clip(e.text)} is too large for float64`, e);
        return { type: "float64", nullable: false };
      case "string":
        return { type: "string", nullable: false };
      case "bool":
        return { type: "bool", nullable: false };
      case "null":
        return { type: "null", nullable: true };
    }
  }

  private binary(e: Binary): TypeInfo | null {
    const l = this.visit(e.left);
    const r = this.visit(e.right);
    if (l === null || r === null) return null;
    const nullable = l.nullable || r.nullable;
    if (e.op === "and" || e.op === "or") {
      for (const [side, t] of [[e.left, l], [e.right, r]] as const) {
        if (t.type !== "bool" && !isNullType(t.type)) {
          return this.error("E_EXPR_TYPE", `${e.op} needs bool on both sides, got ${t.type}`, side,
            isNumeric(t.type) ? "Compare it first, e.g. total_votes > 0" : undefined);
        }
      }
      return { type: "bool", nullable };
    }
    if (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/" || e.op === "%") {
      if (!isNumericOrNull(l.type) || !isNumericOrNull(r.type)) {
        const text = l.type === "string" || r.type === "string";
        if (e.op === "+" && text) {
          return this.error("E_EXPR_TYPE", `Cannot add ${l.type} and ${r.type}: use concat()`, e,
            "Example: concat(marketplace, '-', product_id); cast(x as string) turns a number into text");
        }
        return this.error("E_EXPR_TYPE", `Cannot ${VERBS[e.op]} ${l.type} and ${r.type}`, e,
          text ? "Arithmetic works on numbers; cast(x as float) converts text to a number" : undefined);
      }
      // Division and remainder by zero give null at run time, so they may always produce nulls.
      if (e.op === "/") return { type: isNullType(l.type) && isNullType(r.type) ? "null" : "float64", nullable: true };
      return { type: arithmeticType(l.type, r.type), nullable: nullable || e.op === "%" };
    }
    return this.comparison(e, l, r);
  }

  private comparison(e: Binary, l: TypeInfo, r: TypeInfo): TypeInfo | null {
    for (const side of [e.left, e.right]) {
      if (side.kind === "literal" && side.type === "null") {
        return this.error("E_EXPR_TYPE", `Comparing with null is never true`, e,
          `Use 'x is ${e.op === "!=" ? "not " : ""}null' instead`);
      }
    }
    // A date/timestamp compared with a string literal: the literal is read as that type.
    for (const [col, other, lit] of [[l, r, e.right], [r, l, e.left]] as const) {
      if (isTemporal(col.type) && other.type === "string" && lit.kind === "literal" && lit.type === "string") {
        if (!isTemporalLiteral(String(lit.value), col.type)) {
          return this.error("E_EXPR_TYPE", `'${clip(String(lit.value))}' is not a valid ${col.type === "date32" ? "date" : "timestamp"}`, lit,
            col.type === "date32" ? "Write dates as 'YYYY-MM-DD'" : "Write timestamps as 'YYYY-MM-DD HH:MM:SS'");
        }
        this.types.set(lit, col.type);
        return { type: "bool", nullable: l.nullable || r.nullable };
      }
    }
    if (!comparable(l.type, r.type)) {
      const quoted = [e.left, e.right].find((s) => s.kind === "literal" && s.type === "string");
      const hint = quoted && (isNumeric(l.type) || isNumeric(r.type))
        ? "Remove the quotes to compare with a number: 5, not '5'" : "Convert one side with cast(x as TYPE)";
      return this.error("E_EXPR_TYPE", `Cannot compare ${l.type} with ${r.type}`, e, hint);
    }
    return { type: "bool", nullable: l.nullable || r.nullable };
  }

  private call(e: Call): TypeInfo | null {
    const f = FUNCTION_INDEX.get(e.name);
    if (!f || !f.result) {
      const alias = FUNCTION_ALIASES.get(e.name);
      const hint = alias ? `Did you mean '${alias}'?`
        : this.byName.has(e.name) ? `'${clip(e.name)}' is a column, not a function`
        : didYouMean(e.name, [...FUNCTION_INDEX.keys()].filter((n) => n !== "if" && n !== "cast"));
      e.args.forEach((a) => this.visit(a));
      return this.error("E_EXPR_FUNCTION_UNKNOWN", `Unknown function '${clip(e.name)}'`, e.nameRange, hint);
    }
    const args = e.args.map((a) => [a, this.visit(a)] as const);
    if (e.args.length < f.minArgs || (f.maxArgs !== null && e.args.length > f.maxArgs)) {
      const expects = f.maxArgs === null ? `at least ${f.minArgs}` : f.minArgs === f.maxArgs ? `${f.minArgs}` : `${f.minArgs} or ${f.maxArgs}`;
      const plural = f.maxArgs === 1 && f.minArgs === 1 ? "argument" : "arguments";
      return this.error("E_EXPR_ARITY", `${f.name} expects ${expects} ${plural}, got ${e.args.length}`, e, `Usage: ${f.signature}`);
    }
    const infos: ArgInfo[] = [];
    let ok = true;
    args.forEach(([a, t], i) => {
      if (t === null) {
        ok = false;
        return;
      }
      const kind = paramKind(f, i);
      if (!fitsParam(kind, t.type)) {
        ok = false;
        const hint = kind === "string" ? "Convert it with cast(x as string)" : undefined;
        this.error("E_EXPR_TYPE", `${f.name} expects ${PARAM_WORDS[kind]} as argument ${i + 1}, got ${t.type}`, a, hint);
      }
      infos.push({ ...t, expr: a });
    });
    if (!ok) return null;
    const result = f.result(infos);
    if ("message" in result) return this.error("E_EXPR_TYPE", result.message, e, result.hint);
    return result;
  }

  private caseExpr(e: Case): TypeInfo | null {
    let ok = true;
    const values: TypeInfo[] = [];
    for (const b of e.branches) {
      const w = this.visit(b.when);
      if (w !== null && w.type !== "bool" && !isNullType(w.type)) {
        this.error("E_EXPR_TYPE", `A condition must be bool, got ${w.type}`, b.when,
          isNumeric(w.type) ? "Compare it, e.g. total_votes > 0" : undefined);
        ok = false;
      }
      const t = this.visit(b.then);
      if (w === null || t === null) ok = false;
      else values.push(t);
    }
    const other = e.otherwise ? this.visit(e.otherwise) : { type: "null" as DataType, nullable: true };
    if (!ok || other === null) return null;
    values.push(other);
    const type = commonType(values.map((v) => v.type));
    if (type === null) {
      const kinds = [...new Set(values.map((v) => v.type).filter((t) => !isNullType(t)))].join(" and ");
      return this.error("E_EXPR_TYPE", `The branches give different types: ${kinds}`, e,
        "Make every branch the same type, e.g. with cast(x as string)");
    }
    return { type, nullable: values.some((v) => v.nullable) };
  }
}
