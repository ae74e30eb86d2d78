// Pure transitions of a pipeline document for the canvas: add, connect (with the reason an edge
// is refused), move, configure, delete, copy/paste. No React; every function returns a new doc.
import { KINDS } from "@/server/pipeline/kinds";
import {
  NODE_ID_PATTERN, SINK_KINDS, SOURCE_KINDS,
  type NodeKind, type PipelineDocument, type PipelineEdge, type PipelineNode,
} from "@/server/pipeline/schema";

export type XY = { x: number; y: number };

/** Readable id prefixes: ids become Python names (ds_read_1) in the generated script. */
const ID_PREFIX: Record<NodeKind, string> = {
  "read-parquet": "read",
  "add-column": "add",
  "drop-columns": "drop",
  sort: "sort",
  "udf-filter": "filter",
  write: "write",
};

/** The smallest unused `<prefix>_<n>` for a kind. Example: nextNodeId(docWith("read_1"), "read-parquet") === "read_2" */
export function nextNodeId(doc: PipelineDocument, kind: NodeKind, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set(doc.nodes.map((n) => n.id));
  for (let i = 1; ; i++) {
    const id = `${ID_PREFIX[kind]}_${i}`;
    if (!used.has(id) && !taken.has(id)) return id;
  }
}

/** A fresh node of a kind with its default settings. */
export function makeNode(kind: NodeKind, id: string, position: XY): PipelineNode {
  return { id, kind, position: { x: Math.round(position.x), y: Math.round(position.y) }, params: KINDS[kind].defaults() } as PipelineNode;
}

export const edgeId = (e: PipelineEdge) => `${e.source}->${e.target}`;
export const isSource = (n: PipelineNode) => SOURCE_KINDS.includes(n.kind);
export const isSink = (n: PipelineNode) => SINK_KINDS.includes(n.kind);

export function addNode(doc: PipelineDocument, node: PipelineNode): PipelineDocument {
  if (doc.nodes.some((n) => n.id === node.id)) throw new Error(`addNode: id ${node.id} is taken`);
  return { ...doc, nodes: [...doc.nodes, node] };
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

const label = (n: PipelineNode) => (n.name ? `'${n.name}'` : `'${n.id}'`);

/**
 * Whether an edge source -> target may be added, and if not, why (in words for the user).
 * Example: checkConnection(doc, "sort_1", "read_1") -> { ok: false, reason: "Read parquet is a source: it takes no input" }
 */
export function checkConnection(doc: PipelineDocument, source: string, target: string): ConnectionCheck {
  const s = doc.nodes.find((n) => n.id === source);
  const t = doc.nodes.find((n) => n.id === target);
  if (!s || !t) return { ok: false, reason: "That node no longer exists" };
  if (source === target) return { ok: false, reason: "A node cannot feed itself" };
  if (isSink(s)) return { ok: false, reason: `${KINDS[s.kind].label} is a sink: it has no output` };
  if (isSource(t)) return { ok: false, reason: `${KINDS[t.kind].label} is a source: it takes no input` };
  if (doc.edges.some((e) => e.source === source && e.target === target)) return { ok: false, reason: "These nodes are already connected" };
  const existing = doc.edges.find((e) => e.target === target);
  if (existing) {
    const from = doc.nodes.find((n) => n.id === existing.source);
    return {
      ok: false,
      reason: `${label(t)} already has an input (from ${from ? label(from) : existing.source}); a ${KINDS[t.kind].category} takes exactly one. Delete that edge first`,
    };
  }
  const path = findPath(doc.edges, target, source);
  if (path) return { ok: false, reason: `That would create a cycle: ${[...path, target].join(" → ")}` };
  return { ok: true };
}

/** A path from -> ... -> to along edges (breadth first), or null. */
function findPath(edges: readonly PipelineEdge[], from: string, to: string): string[] | null {
  const outs = new Map<string, string[]>();
  for (const e of edges) outs.set(e.source, [...(outs.get(e.source) ?? []), e.target]);
  const prev = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length) {
    const cur = queue.shift()!;
    if (cur === to) {
      const path = [cur];
      for (let p = cur; p !== from; ) path.unshift((p = prev.get(p)!));
      return path;
    }
    for (const next of outs.get(cur) ?? []) {
      if (!prev.has(next)) {
        prev.set(next, cur);
        queue.push(next);
      }
    }
  }
  return null;
}

export function connect(doc: PipelineDocument, source: string, target: string): PipelineDocument {
  const check = checkConnection(doc, source, target);
  if (!check.ok) throw new Error(check.reason);
  return { ...doc, edges: [...doc.edges, { source, target }] };
}

/** Sets positions; nodes not listed keep theirs. Unchanged doc when nothing moves. */
export function moveNodes(doc: PipelineDocument, positions: ReadonlyMap<string, XY>): PipelineDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p) return n;
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (n.position.x === x && n.position.y === y) return n;
    changed = true;
    return { ...n, position: { x, y } };
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Merges a patch into a node's params (shallow). */
export function updateParams(doc: PipelineDocument, id: string, patch: Record<string, unknown>): PipelineDocument {
  return mapNode(doc, id, (n) => ({ ...n, params: { ...n.params, ...patch } }) as PipelineNode);
}

/** Sets (or clears, with "") a node's free-text label. */
export function renameNode(doc: PipelineDocument, id: string, name: string): PipelineDocument {
  return mapNode(doc, id, (n) => {
    const { name: _old, ...rest } = n;
    return (name.trim() === "" ? rest : { ...rest, name }) as PipelineNode;
  });
}

function mapNode(doc: PipelineDocument, id: string, f: (n: PipelineNode) => PipelineNode): PipelineDocument {
  if (!doc.nodes.some((n) => n.id === id)) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? f(n) : n)) };
}

/** Removes nodes (with their edges) and edges (by edgeId). */
export function removeElements(doc: PipelineDocument, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): PipelineDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
    edges: doc.edges.filter((e) => !nodes.has(e.source) && !nodes.has(e.target) && !edges.has(edgeId(e))),
  };
}

/** What copy puts on the clipboard: nodes and the edges between them. */
export interface Fragment {
  readonly nodes: readonly PipelineNode[];
  readonly edges: readonly PipelineEdge[];
}

export function copyFragment(doc: PipelineDocument, ids: Iterable<string>): Fragment {
  const set = new Set(ids);
  return {
    nodes: doc.nodes.filter((n) => set.has(n.id)),
    edges: doc.edges.filter((e) => set.has(e.source) && set.has(e.target)),
  };
}

/**
 * Pastes a fragment with fresh ids, offset so copies do not hide the originals; internal edges
 * are kept. Returns the new doc and the ids of the pasted nodes.
 */
export function pasteFragment(doc: PipelineDocument, fragment: Fragment, offset: XY = { x: 40, y: 40 }): { doc: PipelineDocument; ids: string[] } {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of fragment.nodes) {
    const id = nextNodeId(doc, n.kind, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const nodes = fragment.nodes.map((n) => ({
    ...structuredClone(n),
    id: rename.get(n.id)!,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  })) as PipelineNode[];
  const edges = fragment.edges
    .filter((e) => rename.has(e.source) && rename.has(e.target))
    .map((e) => ({ source: rename.get(e.source)!, target: rename.get(e.target)! }));
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}

export const isValidNodeId = (id: string) => NODE_ID_PATTERN.test(id);
