// Projection pushdown: read only the columns some sink chain really needs. Drops remove
// columns, expressions read TypedExpr.columns, Python UDFs and writes need every column that
// reaches them. A drop of columns that are never read becomes a no-op (kept as a comment).
import type { Schema } from "../../pipeline/types";
import { assertNever, opsById, type DropOp, type Ir, type Op } from "../ir";

/** Note attached to a read whose columns were narrowed by this pass. */
export const PUSHDOWN_NOTE = "projection pushdown";

/** Every column of the op's output (kept symbolic so long chains stay linear). */
const ALL = "all" as const;
type Need = typeof ALL | Set<string>;

/**
 * Narrow each Read to the columns needed downstream and drop what no longer exists.
 * Example: read(a,b,c) -> drop(c) -> write  becomes  read(a,b) -> drop() [no-op] -> write
 */
export function projectionPushdown(ir: Ir): Ir {
  if (!ir.schemasKnown) return ir;
  const needed = neededColumns(ir);
  // Per op: columns of its analysed schema that are absent after pushdown (usually few).
  const removed = new Map<string, ReadonlySet<string>>();
  let changed = false;
  const ops = ir.ops.map((op): Op => {
    const gone = op.input === null ? EMPTY : removed.get(op.input)!;
    const next = rewrite(op, needed.get(op.nodeId) ?? new Set(), gone);
    removed.set(op.nodeId, next.removed);
    if (next.op !== op) changed = true;
    return next.op;
  });
  return changed ? { ...ir, ops } : ir;
}

const EMPTY: ReadonlySet<string> = new Set();

/** For every op, the names of its output columns that some consumer reads. */
function neededColumns(ir: Ir): ReadonlyMap<string, Need> {
  const byId = opsById(ir);
  const needed = new Map<string, Need>();
  const require = (id: string | null, cols: Need) => {
    if (id === null) return;
    const cur = needed.get(id);
    if (cur === ALL) return;
    if (cols === ALL) needed.set(id, ALL);
    else if (cur === undefined) needed.set(id, new Set(cols));
    else for (const c of cols) cur.add(c);
  };
  for (let i = ir.ops.length - 1; i >= 0; i--) {
    const op = ir.ops[i];
    const own = needed.get(op.nodeId) ?? new Set<string>();
    switch (op.kind) {
      case "read":
        break;
      case "with-column":
        // All of the output = all of the input (plus the new column): stays symbolic.
        require(op.input, own === ALL ? ALL : new Set([...op.expr.columns, ...[...own].filter((c) => c !== op.column)]));
        break;
      // A Python UDF or a write sees whole rows: every column reaching it is needed.
      case "python-column":
      case "udf-filter":
      case "write":
        require(op.input, ALL);
        break;
      case "drop": {
        if (own !== ALL) {
          require(op.input, own);
          break;
        }
        const dropped = new Set(op.columns);
        const input = byId.get(op.input!)!;
        require(op.input, new Set(input.schema.map((c) => c.name).filter((c) => !dropped.has(c))));
        break;
      }
      case "sort":
        require(op.input, own === ALL ? ALL : new Set([...own, ...op.keys.map((k) => k.column)]));
        break;
      default:
        assertNever(op);
    }
  }
  return needed;
}

function rewrite(op: Op, needed: Need, gone: ReadonlySet<string>): { op: Op; removed: ReadonlySet<string> } {
  switch (op.kind) {
    case "read": {
      if (needed === ALL) return { op, removed: EMPTY };
      let cols = op.schema.filter((c) => needed.has(c.name)).map((c) => c.name);
      if (cols.length === op.schema.length) return { op, removed: EMPTY };
      // Nothing read at all (e.g. only literal columns are added): keep one column so the
      // row count survives.
      if (cols.length === 0) cols = [op.schema[0].name];
      const keep = new Set(cols);
      const next = { ...op, columns: cols, schema: op.schema.filter((c) => keep.has(c.name)), notes: [...op.notes, PUSHDOWN_NOTE] };
      return { op: next, removed: new Set(op.schema.filter((c) => !keep.has(c.name)).map((c) => c.name)) };
    }
    case "with-column":
    case "python-column": {
      // The added column exists whatever was removed upstream.
      const removed = gone.has(op.column) ? new Set([...gone].filter((c) => c !== op.column)) : gone;
      return { op: withSchema(op, removed), removed };
    }
    case "drop":
      return rewriteDrop(op, gone);
    case "sort":
    case "udf-filter":
    case "write":
      return { op: withSchema(op, gone), removed: gone };
    default:
      return assertNever(op);
  }
}

function withSchema<T extends Op>(op: T, removed: ReadonlySet<string>): T {
  if (removed.size === 0) return op;
  const schema: Schema = op.schema.filter((c) => !removed.has(c.name));
  return schema.length === op.schema.length ? op : { ...op, schema };
}

function rewriteDrop(op: DropOp, gone: ReadonlySet<string>): { op: Op; removed: ReadonlySet<string> } {
  const present = op.columns.filter((c) => !gone.has(c));
  // The drop's analysed schema no longer lists its own columns: only upstream removals remain.
  const dropped = new Set(op.columns);
  const removed = [...gone].some((c) => dropped.has(c)) ? new Set([...gone].filter((c) => !dropped.has(c))) : gone;
  const next = withSchema(op, removed);
  if (present.length === op.columns.length) return { op: next, removed };
  const absent = op.columns.filter((c) => gone.has(c));
  return { op: { ...next, columns: present, notes: [...op.notes, `${absent.join(", ")} never read (${PUSHDOWN_NOTE})`] }, removed };
}
