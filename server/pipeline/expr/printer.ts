// Canonical text of an expression: lower-case keywords, single spaces around operators, only the
// parentheses precedence needs. Used in canvas summaries and script comments; re-parses to the same tree.
import type { Expr } from "./ast";
import type { DataType } from "../types";
import { isBareIdentifier } from "./lexer";
import { PREC, RESERVED_WORDS } from "./parser";

const CAST_NAMES: Partial<Record<DataType, string>> = { date32: "date" };

/** A column name as it must be written in an expression. Example: quoteColumn("review date") === "`review date`" */
export function quoteColumn(name: string): string {
  if (isBareIdentifier(name) && !RESERVED_WORDS.has(name.toLowerCase())) return name;
  return "`" + name.replaceAll("`", "``") + "`";
}

/** A string literal in single quotes with escapes. Example: quoteString("it's") === "'it\\'s'" */
export function quoteString(value: string): string {
  let out = "'";
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch === "\\") out += "\\\\";
    else if (ch === "'") out += "\\'";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + "'";
}

function precOf(e: Expr): number {
  switch (e.kind) {
    case "binary":
      if (e.op === "or") return PREC.or;
      if (e.op === "and") return PREC.and;
      if (e.op === "+" || e.op === "-") return PREC.add;
      if (e.op === "*" || e.op === "/" || e.op === "%") return PREC.mul;
      return PREC.cmp;
    case "unary":
      return e.op === "not" ? PREC.not : PREC.unary;
    case "is-null":
      return PREC.is;
    default:
      return PREC.primary;
  }
}

const wrap = (e: Expr, minPrec: number) => (precOf(e) < minPrec ? `(${printExpr(e)})` : printExpr(e));

/**
 * Prints an expression in canonical form.
 * Example: printExpr(parseExpr("IF(a>1,'x',NULL)").expr!) === "case when a > 1 then 'x' else null end"
 */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "column":
      return quoteColumn(e.name);
    case "literal":
      if (e.type === "string") return quoteString(String(e.value));
      if (e.type === "null") return "null";
      if (e.type === "bool") return e.value ? "true" : "false";
      return e.text;
    case "unary":
      if (e.op === "not") return `not ${wrap(e.operand, PREC.not)}`;
      // "-(-x)" rather than "--x", and "-(a + b)".
      return e.operand.kind === "unary" ? `-(${printExpr(e.operand)})` : `-${wrap(e.operand, PREC.unary)}`;
    case "binary": {
      const p = precOf(e);
      // Left-associative: the right side needs parentheses at equal precedence; comparisons never chain.
      const left = wrap(e.left, p === PREC.cmp ? p + 1 : p);
      return `${left} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case "is-null":
      return `${wrap(e.operand, PREC.is)} is ${e.negated ? "not " : ""}null`;
    case "call":
      return `${e.name}(${e.args.map(printExpr).join(", ")})`;
    case "cast":
      return `cast(${printExpr(e.operand)} as ${CAST_NAMES[e.to] ?? e.to})`;
    case "case": {
      const branches = e.branches.map((b) => `when ${printExpr(b.when)} then ${printExpr(b.then)}`).join(" ");
      return `case ${branches}${e.otherwise ? ` else ${printExpr(e.otherwise)}` : ""} end`;
    }
  }
}
