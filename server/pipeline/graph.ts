// Structural analysis of the pipeline graph: edges that point nowhere, cycles, topological
// order, input/output counts per kind, and nodes that never reach a sink. Linear in nodes+edges
// (plus a log factor for the stable topological order).
import { diag, type Diagnostic } from "./diagnostics";
import { SINK_KINDS, SOURCE_KINDS, type PipelineDocument, type PipelineNode } from "./schema";
import { clip, idList, LISTED } from "./suggest";

export interface GraphAnalysis {
  /** id -> node (first occurrence when ids are duplicated; parseDocument rejects that). */
  readonly nodes: ReadonlyMap<string, PipelineNode>;
  /** id -> position in doc.nodes; ties in the topological order break by it. */
  readonly index: ReadonlyMap<string, number>;
  /** Distinct valid inputs per node, in edge order. */
  readonly inputsOf: ReadonlyMap<string, readonly string[]>;
  /** Distinct valid outputs per node, in edge order. */
  readonly outputsOf: ReadonlyMap<string, readonly string[]>;
  /** Topological order, or null when the graph has a cycle. */
  readonly order: readonly string[] | null;
  /** The topological order as far as it goes: with a cycle, the nodes not on or after it. */
  readonly partialOrder: readonly string[];
  /** Every node ranked: the topological order as far as it goes, then the rest in document order. */
  readonly rank: ReadonlyMap<string, number>;
  /** Node ids on each cycle found (one entry per strongly connected component). */
  readonly cycles: readonly (readonly string[])[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Analyses the shape of a pipeline without looking at any node's settings.
 * Example: analyzeGraph(doc).order -> ["read", "ratio", "out"]; a->b->a gives order null and two E_CYCLE.
 */
export function analyzeGraph(doc: PipelineDocument): GraphAnalysis {
  const diagnostics: Diagnostic[] = [];
  const nodes = new Map<string, PipelineNode>();
  const index = new Map<string, number>();
  doc.nodes.forEach((n, i) => {
    if (!nodes.has(n.id)) {
      nodes.set(n.id, n);
      index.set(n.id, i);
    }
  });
  const inputsOf = new Map<string, string[]>([...nodes.keys()].map((id) => [id, []]));
  const outputsOf = new Map<string, string[]>([...nodes.keys()].map((id) => [id, []]));

  const seen = new Set<string>();
  for (const e of doc.edges) {
    const hasSource = nodes.has(e.source);
    const hasTarget = nodes.has(e.target);
    if (!hasSource || !hasTarget) {
      const missing = !hasSource ? e.source : e.target;
      const nodeId = hasSource ? e.source : hasTarget ? e.target : undefined;
      diagnostics.push(diag("E_EDGE_DANGLING", `Edge ${clip(e.source)} -> ${clip(e.target)} points at '${clip(missing)}', which does not exist`,
        nodeId === undefined ? {} : { nodeId }));
      continue;
    }
    if (e.source === e.target) {
      diagnostics.push(diag("E_EDGE_SELF", `Node '${clip(e.source)}' is connected to itself`, { nodeId: e.source }));
      continue;
    }
    const key = JSON.stringify([e.source, e.target]);
    if (seen.has(key)) {
      diagnostics.push(diag("E_EDGE_DUPLICATE", `Edge ${clip(e.source)} -> ${clip(e.target)} appears twice`, { nodeId: e.target }));
      continue;
    }
    seen.add(key);
    outputsOf.get(e.source)!.push(e.target);
    inputsOf.get(e.target)!.push(e.source);
  }

  const { order, rest } = topologicalOrder(nodes, index, inputsOf, outputsOf);
  const rank = new Map<string, number>();
  [...order, ...rest].forEach((id, i) => rank.set(id, i));
  const components = rest.length ? findCycles(rest, outputsOf) : [];
  for (const { loop, members } of components) {
    const path = cyclePath(loop);
    for (const id of members) diagnostics.push(diag("E_CYCLE", `Node '${clip(id)}' is part of a cycle: ${path}`, { nodeId: id }));
  }
  const cycles = components.map((c) => c.members);

  checkDegrees(nodes, inputsOf, outputsOf, diagnostics);
  return { nodes, index, inputsOf, outputsOf, order: rest.length ? null : order, partialOrder: order, rank, cycles, diagnostics };
}

function checkDegrees(
  nodes: ReadonlyMap<string, PipelineNode>,
  inputsOf: ReadonlyMap<string, readonly string[]>,
  outputsOf: ReadonlyMap<string, readonly string[]>,
  out: Diagnostic[],
): void {
  const sinks: string[] = [];
  let sources = 0;
  for (const n of nodes.values()) {
    const inputs = inputsOf.get(n.id)!;
    const isSource = SOURCE_KINDS.includes(n.kind);
    const isSink = SINK_KINDS.includes(n.kind);
    if (isSource) {
      sources++;
      if (inputs.length > 0) out.push(diag("E_SOURCE_HAS_INPUT", `Source '${clip(n.id)}' cannot have an input (from ${idList(inputs)})`, { nodeId: n.id }));
    } else if (inputs.length === 0) {
      out.push(diag("E_INPUT_MISSING", `Node '${clip(n.id)}' has no input`, { nodeId: n.id, hint: "Connect a node's output to it" }));
    } else if (inputs.length > 1) {
      out.push(diag("E_INPUT_MULTIPLE", `Node '${clip(n.id)}' has ${inputs.length} inputs (${idList(inputs)}); it takes exactly one`, { nodeId: n.id }));
    }
    if (isSink) {
      sinks.push(n.id);
      const outputs = outputsOf.get(n.id)!;
      if (outputs.length > 0) out.push(diag("E_SINK_HAS_OUTPUT", `Sink '${clip(n.id)}' cannot feed other nodes (${idList(outputs)})`, { nodeId: n.id }));
    }
  }
  if (sources === 0) out.push(diag("E_NO_SOURCE", "The pipeline has no source", { hint: "Add a read-parquet node" }));
  if (sinks.length === 0) {
    out.push(diag("E_NO_SINK", "The pipeline has no sink, so running it would write nothing", { hint: "Add a write node" }));
    return; // every node would be "unused": say it once, above
  }
  // Walk backwards from every sink; whatever is not reached is unused.
  const reaches = new Set<string>(sinks);
  const stack = [...sinks];
  while (stack.length) {
    for (const up of inputsOf.get(stack.pop()!)!) {
      if (!reaches.has(up)) {
        reaches.add(up);
        stack.push(up);
      }
    }
  }
  for (const id of inputsOf.keys()) {
    if (!reaches.has(id)) out.push(diag("W_NODE_UNUSED", `Node '${clip(id)}' does not lead to any sink, so it will not run`, { nodeId: id }));
  }
}

/**
 * "a -> b -> a", or for long loops "a -> ... -> f -> (12 more) -> a": a cycle through thousands
 * of nodes would otherwise put the whole loop into every member's message (found by fuzzing).
 */
export function cyclePath(loop: readonly string[]): string {
  const ids = loop.map((id) => clip(id));
  if (ids.length <= LISTED) return [...ids, ids[0]].join(" -> ");
  return [...ids.slice(0, LISTED), `(${ids.length - LISTED} more)`, ids[0]].join(" -> ");
}

/** Kahn's algorithm; among ready nodes the earliest in the document goes first. */
function topologicalOrder(
  nodes: ReadonlyMap<string, PipelineNode>,
  index: ReadonlyMap<string, number>,
  inputsOf: ReadonlyMap<string, readonly string[]>,
  outputsOf: ReadonlyMap<string, readonly string[]>,
): { order: string[]; rest: string[] } {
  const pending = new Map<string, number>();
  const heap = new MinHeap<string>((a, b) => index.get(a)! - index.get(b)!);
  for (const id of nodes.keys()) {
    const n = inputsOf.get(id)!.length;
    pending.set(id, n);
    if (n === 0) heap.push(id);
  }
  const order: string[] = [];
  while (heap.size > 0) {
    const id = heap.pop();
    order.push(id);
    for (const next of outputsOf.get(id)!) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) heap.push(next);
    }
  }
  const rest = [...nodes.keys()].filter((id) => pending.get(id)! > 0);
  return { order, rest };
}

/** A cyclic component: every member, and one real loop through some of them for the message. */
interface Cyclic {
  loop: string[];
  members: string[];
}

/** Strongly connected components with more than one node (self-loops are rejected earlier), via iterative Tarjan. */
function findCycles(candidates: readonly string[], outputsOf: ReadonlyMap<string, readonly string[]>): Cyclic[] {
  const inSet = new Set(candidates);
  const num = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: Cyclic[] = [];
  let counter = 0;
  for (const start of candidates) {
    if (num.has(start)) continue;
    const within = (id: string) => outputsOf.get(id)!.filter((o) => inSet.has(o));
    const work: { id: string; outs: readonly string[]; next: number }[] = [{ id: start, outs: within(start), next: 0 }];
    num.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.next < frame.outs.length) {
        const w = frame.outs[frame.next++];
        if (!num.has(w)) {
          num.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, outs: within(w), next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, num.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === num.get(frame.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.id);
        if (component.length > 1) result.push(orderCycle(component, outputsOf));
      }
    }
  }
  return result;
}

/**
 * Puts a real cycle first: from the component's root follow in-component edges until a node
 * repeats (every node of a strongly connected component has such an edge). Other members follow.
 */
function orderCycle(component: string[], outputsOf: ReadonlyMap<string, readonly string[]>): Cyclic {
  const members = new Set(component);
  const walk: string[] = [];
  const at = new Map<string, number>();
  let cur = component[component.length - 1]; // the root Tarjan reached first
  while (!at.has(cur)) {
    at.set(cur, walk.length);
    walk.push(cur);
    cur = outputsOf.get(cur)!.find((o) => members.has(o))!;
  }
  const loop = walk.slice(at.get(cur));
  const onLoop = new Set(loop);
  return { loop, members: [...loop, ...component.filter((id) => !onLoop.has(id)).reverse()] };
}

/** A small binary heap; enough for a stable topological order without O(n^2) scans. */
class MinHeap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}
  get size() {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(a[i], a[p]) >= 0) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m]) < 0) m = l;
        if (r < a.length && this.less(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
