// Run-to-here: the part of a pipeline a run of one selected node executes. A run must end in a
// write (Ray Data executes nothing without a consumer, and we never invent an output), so:
// a selected write node runs with every node upstream of it and nothing else; any other
// selection is refused, naming the writes downstream of it the user can pick instead.
import { KINDS, type PipelineDocument } from "../pipeline";

export type RunToHere =
  | { readonly ok: true; readonly doc: PipelineDocument }
  | { readonly ok: false; readonly message: string };

/** Ids of `nodeId` and every node upstream of it (cycles tolerated). */
export function upstreamOf(doc: PipelineDocument, nodeId: string): Set<string> {
  const inputs = new Map<string, string[]>();
  for (const e of doc.edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), e.source]);
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(inputs.get(id) ?? []));
  }
  return seen;
}

function downstreamWrites(doc: PipelineDocument, nodeId: string): string[] {
  const outputs = new Map<string, string[]>();
  for (const e of doc.edges) outputs.set(e.source, [...(outputs.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(outputs.get(id) ?? []));
  }
  return doc.nodes.filter((n) => seen.has(n.id) && n.id !== nodeId && KINDS[n.kind].category === "sink").map((n) => n.id);
}

/**
 * The document a Run-to-here of `nodeId` runs, e.g. for read -> sort -> out1 and
 * read -> out2, `runToHere(doc, "out1")` keeps read, sort and out1.
 */
export function runToHere(doc: PipelineDocument, nodeId: string): RunToHere {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, message: `There is no node '${nodeId}' in this pipeline.` };
  if (KINDS[node.kind].category !== "sink") {
    const writes = downstreamWrites(doc, nodeId);
    return {
      ok: false,
      message: writes.length
        ? `Run to here runs a Write node and everything upstream of it. Select ${writes.map((w) => `'${w}'`).join(" or ")} (downstream of '${nodeId}').`
        : `Run to here runs a Write node and everything upstream of it; nothing downstream of '${nodeId}' writes its rows. Add a Write node after it.`,
    };
  }
  const keep = upstreamOf(doc, nodeId);
  return {
    ok: true,
    doc: {
      ...doc,
      nodes: doc.nodes.filter((n) => keep.has(n.id)),
      edges: doc.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
    },
  };
}
