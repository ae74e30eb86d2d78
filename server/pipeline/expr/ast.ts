// The expression language's syntax tree. Every node carries its [start, end) source range so
// errors can be underlined in the editor. One readonly type per construct, tagged by `kind`.
import type { DataType } from "../types";

export type Range = readonly [number, number];

export type Expr =
  | ColumnRef
  | Literal
  | Unary
  | Binary
  | IsNull
  | Call
  | Cast
  | Case;

export interface ColumnRef { readonly kind: "column"; readonly name: string; readonly range: Range }
export interface Literal {
  readonly kind: "literal";
  /** int literals keep their exact text as a bigint-safe string in `text`. */
  readonly type: "int" | "float" | "string" | "bool" | "null";
  readonly value: string | number | boolean | null;
  readonly text: string;
  readonly range: Range;
}
export interface Unary { readonly kind: "unary"; readonly op: "-" | "not"; readonly operand: Expr; readonly range: Range }
export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "=" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or";
export interface Binary { readonly kind: "binary"; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly range: Range }
export interface IsNull { readonly kind: "is-null"; readonly negated: boolean; readonly operand: Expr; readonly range: Range }
export interface Call { readonly kind: "call"; readonly name: string; readonly args: readonly Expr[]; readonly range: Range; readonly nameRange: Range }
export interface Cast { readonly kind: "cast"; readonly operand: Expr; readonly to: DataType; readonly range: Range }
/** `case when c1 then v1 [when ...] [else e] end`; `if(c, a, b)` parses to a Case too. */
export interface Case {
  readonly kind: "case";
  readonly branches: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise: Expr | null;
  readonly range: Range;
}

/** A type-checked expression: the tree annotated with the type of every node (by object identity). */
export interface TypedExpr {
  readonly expr: Expr;
  readonly type: DataType;
  readonly nullable: boolean;
  readonly types: ReadonlyMap<Expr, DataType>;
  /** Columns the expression reads (for projection pushdown). */
  readonly columns: readonly string[];
}
