// Typing rules shared by the checker and the function catalog: arithmetic widening, common
// types for coalesce/if/case, comparability and casts. Pure functions over DataType.
import { isFloat, isInteger, isNumeric, type DataType } from "../types";

/** A type with its nullability. */
export interface TypeInfo {
  readonly type: DataType;
  readonly nullable: boolean;
}

/** The null literal's type fits anywhere. */
export const isNullType = (t: DataType) => t === "null";
export const isTemporal = (t: DataType) => t === "date32" || t === "timestamp";
export const isNumericOrNull = (t: DataType) => isNumeric(t) || isNullType(t);

/**
 * Result of + - * % on two numeric types: int64 when both are integers, else float64.
 * Example: arithmeticType("int32", "int8") === "int64"; arithmeticType("int32", "float32") === "float64"
 */
export function arithmeticType(a: DataType, b: DataType): DataType {
  if (isNullType(a) && isNullType(b)) return "null";
  const ints = (isInteger(a) || isNullType(a)) && (isInteger(b) || isNullType(b));
  return ints ? "int64" : "float64";
}

/** Result of unary minus, abs, round on one numeric type. Example: widenNumeric("int32") === "int64" */
export const widenNumeric = (t: DataType): DataType => (isNullType(t) ? "null" : isInteger(t) ? "int64" : "float64");

/**
 * The type every value can take for coalesce/if/case, or null when they do not mix.
 * Equal types stay; mixed integers widen to int64; any float among numbers gives float64.
 * Example: commonType(["int32", "null", "float64"]) === "float64"; commonType(["string", "int64"]) === null
 */
export function commonType(types: readonly DataType[]): DataType | null {
  const real = types.filter((t) => !isNullType(t));
  if (real.length === 0) return "null";
  if (real.every((t) => t === real[0])) return real[0];
  if (real.every(isNumeric)) return real.every(isInteger) ? "int64" : "float64";
  return null;
}

/** Can values of these two types be compared with = < etc. (string literals vs dates handled by the caller)? */
export function comparable(a: DataType, b: DataType): boolean {
  if (isNullType(a) || isNullType(b)) return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  return a === b && (a === "string" || a === "bool" || isTemporal(a));
}

const CASTABLE_TO: Record<string, (from: DataType) => boolean> = {
  string: (f) => f !== "list" && f !== "struct" && f !== "unknown",
  int64: (f) => isNumeric(f) || f === "bool" || f === "string",
  float64: (f) => isNumeric(f) || f === "bool" || f === "string",
  bool: (f) => isNumeric(f) || f === "bool" || f === "string",
  date32: (f) => isTemporal(f) || f === "string",
  timestamp: (f) => isTemporal(f) || f === "string",
};

/** Is cast(from as to) allowed? Example: castAllowed("string", "date32") === true; castAllowed("date32", "int64") === false */
export function castAllowed(from: DataType, to: DataType): boolean {
  if (isNullType(from) || from === to) return true;
  return Object.hasOwn(CASTABLE_TO, to) && CASTABLE_TO[to](from);
}

/**
 * Nullability of a cast: text that does not parse as the target becomes null (Spark-like), so
 * casting a string to anything but string may produce nulls. Contract: the runtime's fn.cast must do this.
 */
export const castNullable = (from: TypeInfo, to: DataType) => from.nullable || (from.type === "string" && to !== "string");

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const dim = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return day <= dim;
}

/**
 * Does a string literal denote a value of a temporal type? Used when comparing a date column with '2015-08-31'.
 * Example: isTemporalLiteral("2015-02-29", "date32") === false
 */
export function isTemporalLiteral(text: string, type: DataType): boolean {
  const m = (type === "date32" ? DATE_RE : TIMESTAMP_RE).exec(text);
  if (!m || !validDate(m[1], m[2], m[3])) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false;
  return true;
}
