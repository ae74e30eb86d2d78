// Projection pushdown: read only the columns some sink chain really needs. Drops remove
// columns, expressions read TypedExpr.columns, Python UDFs and writes need every column that
// reaches them. A drop of columns that are never read becomes a no-op (kept as a comment).
import type { Schema } from "../../pipeline/types";
import { opsById, visitOp, type DropOp, type Ir, type Op } from "../ir";

/** Note attached to a read whose columns were narrowed by this pass. */
export const PUSHDOWN_NOTE = "projection pushdown";

/**
 * Narrow each Read to the columns needed downstream and drop what no longer exists.
 * Example: read(a,b,c) -> drop(c) -> write  becomes  read(a,b) -> drop() [no-op] -> write
 */
export function projectionPushdown(ir: Ir): Ir {
  const needed = neededColumns(ir);
  const available = new Map<string, ReadonlySet<string>>();
  const ops = ir.ops.map((op): Op => {
    const inputCols = op.input === null ? null : available.get(op.input)!;
    const next = rewrite(op, needed.get(op.nodeId) ?? new Set(), inputCols);
    available.set(op.nodeId, new Set(next.schema.map((c) => c.name)));
    return next;
  });
  return { ...ir, ops };
}

/** For every op, the names of its output columns that some consumer reads. */
function neededColumns(ir: Ir): ReadonlyMap<string, ReadonlySet<string>> {
  const byId = opsById(ir);
  const needed = new Map<string, Set<string>>();
  const require = (id: string | null, cols: Iterable<string>) => {
    if (id === null) return;
    let set = needed.get(id);
    if (!set) needed.set(id, (set = new Set()));
    for (const c of cols) set.add(c);
  };
  const allOf = (id: string | null) => (id === null ? [] : byId.get(id)!.schema.map((c) => c.name));
  for (let i = ir.ops.length - 1; i >= 0; i--) {
    const op = ir.ops[i];
    const own = needed.get(op.nodeId) ?? new Set<string>();
    visitOp<void>(op, {
      read: () => {},
      "with-column": (o) => {
        const pass = [...own].filter((c) => c !== o.column);
        require(o.input, [...pass, ...o.expr.columns]);
      },
      // A Python UDF or a write sees whole rows: every column reaching it is needed.
      "python-column": (o) => require(o.input, allOf(o.input)),
      "udf-filter": (o) => require(o.input, allOf(o.input)),
      write: (o) => require(o.input, allOf(o.input)),
      drop: (o) => require(o.input, own),
      sort: (o) => require(o.input, [...own, ...o.keys.map((k) => k.column)]),
    });
  }
  return needed;
}

function rewrite(op: Op, needed: ReadonlySet<string>, inputCols: ReadonlySet<string> | null): Op {
  return visitOp<Op>(op, {
    read: (o) => {
      let cols = o.schema.filter((c) => needed.has(c.name)).map((c) => c.name);
      if (cols.length === o.schema.length) return o;
      // Nothing read at all (e.g. only literal columns are added): keep one column so the
      // row count survives.
      if (cols.length === 0) cols = [o.schema[0].name];
      const keep = new Set(cols);
      return { ...o, columns: cols, schema: o.schema.filter((c) => keep.has(c.name)), notes: [...o.notes, PUSHDOWN_NOTE] };
    },
    "with-column": (o) => ({ ...o, schema: keepAdded(o.schema, inputCols!, o.column) }),
    "python-column": (o) => ({ ...o, schema: keepAdded(o.schema, inputCols!, o.column) }),
    drop: (o) => rewriteDrop(o, inputCols!),
    sort: (o) => ({ ...o, schema: keepAdded(o.schema, inputCols!, null) }),
    "udf-filter": (o) => ({ ...o, schema: keepAdded(o.schema, inputCols!, null) }),
    write: (o) => ({ ...o, schema: keepAdded(o.schema, inputCols!, null) }),
  });
}

/** The op's schema restricted to columns present in its input, plus the column it adds. */
function keepAdded(schema: Schema, inputCols: ReadonlySet<string>, added: string | null): Schema {
  const next = schema.filter((c) => c.name === added || inputCols.has(c.name));
  return next.length === schema.length ? schema : next;
}

function rewriteDrop(o: DropOp, inputCols: ReadonlySet<string>): DropOp {
  const present = o.columns.filter((c) => inputCols.has(c));
  const schema = o.schema.filter((c) => inputCols.has(c.name));
  if (present.length === o.columns.length) return schema.length === o.schema.length ? o : { ...o, schema };
  const gone = o.columns.filter((c) => !inputCols.has(c));
  return { ...o, columns: present, schema, notes: [...o.notes, `${gone.join(", ")} never read (${PUSHDOWN_NOTE})`] };
}
