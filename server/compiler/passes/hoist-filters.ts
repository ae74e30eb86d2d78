// Hoist UDF filters: a filter runs as early as its meaning allows, so the shuffle of a sort
// and the Python of a UDF column see fewer rows. A filter moves up past
//  - a sort: filters are row-wise by contract (batches are arbitrary, so keep() must not
//    depend on other rows), and a sort only reorders rows;
//  - a Python add-column whose new column keep() provably does not read (the server's Python
//    analysis lists the batch columns keep() reads; unknown = never moved). Python columns
//    are row-wise by the same contract, so computing them on fewer rows changes nothing.
// The moved-past op must feed only the filter (a branch elsewhere needs every row).
import { consumersOf, type Ir, type Op, type UdfFilterOp } from "../ir";

/** Note shown on a filter moved past a sort. */
export const MOVED_NOTE = "moved before the sort: filters are row-wise";
const movedPastPython = (o: Op & { kind: "python-column" }) => `moved before ${o.nodeId}: keep() does not read ${o.column}`;

function canPass(up: Op, filter: UdfFilterOp): string | null {
  if (up.kind === "sort") return MOVED_NOTE;
  if (up.kind === "python-column" && filter.reads !== null && !filter.reads.includes(up.column)) return movedPastPython(up);
  return null;
}

/**
 * Moves every filter up past sorts and unread Python columns, repeatedly.
 * Example: read -> sort -> flag(py) -> keep -> write  becomes  read -> keep -> sort -> flag -> write
 */
export function hoistFilters(ir: Ir): Ir {
  const byId = new Map(ir.ops.map((o) => [o.nodeId, o] as [string, Op]));
  const consumers = new Map([...consumersOf(ir)].map(([k, v]) => [k, [...v]]));
  let changed = false;
  for (const start of ir.ops) {
    if (start.kind !== "udf-filter") continue;
    for (;;) {
      const filter = byId.get(start.nodeId) as UdfFilterOp;
      const up = filter.input === null ? undefined : byId.get(filter.input);
      if (!up || consumers.get(up.nodeId)!.length !== 1) break;
      const note = canPass(up, filter);
      if (note === null) break;
      // up.input -> filter -> up -> (filter's old consumers)
      const after = consumers.get(filter.nodeId)!;
      byId.set(filter.nodeId, { ...filter, input: up.input, notes: filter.notes.includes(note) ? filter.notes : [...filter.notes, note] });
      byId.set(up.nodeId, { ...up, input: filter.nodeId } as Op);
      for (const c of after) byId.set(c, { ...byId.get(c)!, input: up.nodeId } as Op);
      if (up.input !== null) {
        const feeders = consumers.get(up.input)!;
        feeders[feeders.indexOf(up.nodeId)] = filter.nodeId;
      }
      consumers.set(filter.nodeId, [up.nodeId]);
      consumers.set(up.nodeId, after);
      changed = true;
    }
  }
  if (!changed) return ir;
  return { ...ir, ops: topoOrder(ir.ops.map((o) => byId.get(o.nodeId)!)) };
}

/** Stable topological order: each op after its input, otherwise the original order. */
function topoOrder(ops: readonly Op[]): Op[] {
  const placed = new Set<string>();
  const out: Op[] = [];
  const byId = new Map(ops.map((o) => [o.nodeId, o]));
  const place = (o: Op) => {
    if (placed.has(o.nodeId)) return;
    if (o.input !== null) place(byId.get(o.input)!);
    placed.add(o.nodeId);
    out.push(o);
  };
  ops.forEach(place);
  return out;
}
