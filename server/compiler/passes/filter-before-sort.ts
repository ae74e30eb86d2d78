// Filter before sort: a UDF filter that directly follows a sort (the sort feeding nothing
// else) runs first, so the all-to-all shuffle moves fewer rows. Safe because filters are
// row-wise by contract: batches are arbitrary, so keep() must not depend on other rows.
import { consumersOf, type Ir, type Op } from "../ir";

/** Note shown on a filter this pass moved. */
export const MOVED_NOTE = "moved before the sort: filters are row-wise";

/**
 * Swap every `sort -> udf-filter` pair where the sort has no other consumer. Repeats along a
 * chain, so `sort -> f1 -> f2` becomes `f1 -> f2 -> sort`. Sink chains are derived from op
 * inputs, so the progress mapping follows the new order automatically.
 * Example: read -> sort -> keep -> write  becomes  read -> keep -> sort -> write
 */
export function filterBeforeSort(ir: Ir): Ir {
  const ops = [...ir.ops];
  const index = new Map(ops.map((o, i) => [o.nodeId, i]));
  const consumers = new Map([...consumersOf(ir)].map(([k, v]) => [k, [...v]]));
  let changed = false;
  // Forward scan; after a swap the sort sits at the filter's old index and is visited again.
  for (let i = 0; i < ops.length; i++) {
    const sort = ops[i];
    if (sort.kind !== "sort") continue;
    const readers = consumers.get(sort.nodeId)!;
    if (readers.length !== 1) continue;
    const filter = ops[index.get(readers[0])!];
    if (filter.kind !== "udf-filter") continue;
    const after = consumers.get(filter.nodeId)!;
    const newFilter: Op = {
      ...filter,
      input: sort.input,
      notes: filter.notes.includes(MOVED_NOTE) ? filter.notes : [...filter.notes, MOVED_NOTE],
    };
    const newSort: Op = { ...sort, input: filter.nodeId };
    const fi = index.get(filter.nodeId)!;
    ops[i] = newFilter;
    ops[fi] = newSort;
    index.set(filter.nodeId, i);
    index.set(sort.nodeId, fi);
    for (const c of after) {
      const ci = index.get(c)!;
      ops[ci] = { ...ops[ci], input: sort.nodeId } as Op;
    }
    // Rewire the consumer lists: the sort's input now feeds the filter instead of the sort.
    if (sort.input !== null) {
      const up = consumers.get(sort.input)!;
      up[up.indexOf(sort.nodeId)] = filter.nodeId;
    }
    consumers.set(filter.nodeId, [sort.nodeId]);
    consumers.set(sort.nodeId, after);
    changed = true;
  }
  return changed ? { ...ir, ops } : ir;
}
