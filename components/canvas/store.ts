// The editor's state outside React: the pipeline document, the selection, an undo/redo history
// of whole documents, the clipboard and transient drag positions. Every edit is one document
// transition, so undo/redo is a pointer move. React reads it with useSyncExternalStore.
import { KINDS } from "@/server/pipeline/kinds";
import type { NodeKind, PipelineDocument } from "@/server/pipeline/schema";
import {
  addNode, checkConnection, connect, copyFragment, edgeId, isSink, makeNode, moveNodes, nextNodeId, pasteFragment,
  removeElements, renameNode, updateParams, type ConnectionCheck, type Fragment, type XY,
} from "./doc-ops";
import { autoLayout, NODE_HEIGHT, NODE_WIDTH } from "./layout";

export interface EditorState {
  readonly doc: PipelineDocument;
  readonly selectedNodes: readonly string[];
  readonly selectedEdges: readonly string[];
  /** Positions of nodes being dragged right now; committed to the doc (one history entry) on drop. */
  readonly dragging: ReadonlyMap<string, XY> | null;
  /** What undo / redo would revert / re-apply, e.g. "Add Sort"; null when there is nothing. */
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
}

interface Entry {
  readonly doc: PipelineDocument;
  readonly label: string;
  readonly selectedNodes: readonly string[];
}

export interface StoreOptions {
  /** Clock for coalescing keystrokes into one history entry (injectable for tests). */
  now?: () => number;
  /** Consecutive edits with the same coalesce key closer than this merge into one entry. */
  coalesceMs?: number;
  historyLimit?: number;
}

/** Shared by every editor in the tab, so copy in one pipeline and paste into another works. */
let clipboard: { fragment: Fragment; pastes: number } | null = null;

/**
 * `next` unless it holds the same ids as `prev`: an edit that leaves the selection alone keeps
 * the same array, so the canvas does not rebuild every edge (and the panels reading the
 * selection do not re-render) on each drop or keystroke.
 */
function keep(prev: readonly string[], next: readonly string[]): readonly string[] {
  return sameList(prev, next) ? prev : next;
}

export class EditorStore {
  private state: EditorState;
  private past: Entry[] = [];
  private future: Entry[] = [];
  private lastCoalesce: { key: string; at: number } | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly coalesceMs: number;
  private readonly historyLimit: number;

  constructor(doc: PipelineDocument, opts: StoreOptions = {}) {
    this.state = { doc, selectedNodes: [], selectedEdges: [], dragging: null, undoLabel: null, redoLabel: null };
    this.now = opts.now ?? (() => Date.now());
    this.coalesceMs = opts.coalesceMs ?? 1500;
    this.historyLimit = opts.historyLimit ?? 500;
  }

  // --- useSyncExternalStore plumbing -------------------------------------------------------
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly getState = (): EditorState => this.state;
  get doc(): PipelineDocument {
    return this.state.doc;
  }

  private set(patch: Partial<EditorState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private labels(): Pick<EditorState, "undoLabel" | "redoLabel"> {
    return {
      undoLabel: this.past.length ? this.past[this.past.length - 1].label : null,
      redoLabel: this.future.length ? this.future[this.future.length - 1].label : null,
    };
  }

  /**
   * Applies one edit as a document transition. Edits with the same `coalesce` key in quick
   * succession (typing in a field) share one history entry.
   */
  apply(label: string, next: PipelineDocument, opts: { coalesce?: string; select?: readonly string[] } = {}): void {
    const prev = this.state.doc;
    if (next === prev) return;
    const t = this.now();
    const merge = opts.coalesce !== undefined && this.lastCoalesce?.key === opts.coalesce && t - this.lastCoalesce.at < this.coalesceMs && this.past.length > 0;
    if (!merge) {
      this.past.push({ doc: prev, label, selectedNodes: this.state.selectedNodes });
      if (this.past.length > this.historyLimit) this.past.shift();
    }
    this.lastCoalesce = opts.coalesce !== undefined ? { key: opts.coalesce, at: t } : null;
    this.future = [];
    const docIds = new Set(next.nodes.map((n) => n.id));
    const docEdges = new Set(next.edges.map(edgeId));
    this.set({
      doc: next,
      selectedNodes: keep(this.state.selectedNodes, (opts.select ?? this.state.selectedNodes).filter((id) => docIds.has(id))),
      selectedEdges: keep(this.state.selectedEdges, opts.select ? [] : this.state.selectedEdges.filter((id) => docEdges.has(id))),
      ...this.labels(),
    });
  }

  /** Ends keystroke coalescing (a field lost focus), so the next edit is its own undo step. */
  breakCoalescing(): void {
    this.lastCoalesce = null;
  }

  undo(): boolean {
    const entry = this.past.pop();
    if (!entry) return false;
    this.future.push({ doc: this.state.doc, label: entry.label, selectedNodes: this.state.selectedNodes });
    this.lastCoalesce = null;
    this.restore(entry);
    return true;
  }

  redo(): boolean {
    const entry = this.future.pop();
    if (!entry) return false;
    this.past.push({ doc: this.state.doc, label: entry.label, selectedNodes: this.state.selectedNodes });
    this.lastCoalesce = null;
    this.restore(entry);
    return true;
  }

  private restore(entry: Entry): void {
    const ids = new Set(entry.doc.nodes.map((n) => n.id));
    this.set({ doc: entry.doc, selectedNodes: entry.selectedNodes.filter((id) => ids.has(id)), selectedEdges: [], dragging: null, ...this.labels() });
  }

  /** Replaces the document from outside (reload after a conflict): history starts afresh. */
  reset(doc: PipelineDocument): void {
    this.past = [];
    this.future = [];
    this.lastCoalesce = null;
    const ids = new Set(doc.nodes.map((n) => n.id));
    this.set({ doc, selectedNodes: this.state.selectedNodes.filter((id) => ids.has(id)), selectedEdges: [], dragging: null, ...this.labels() });
  }

  // --- edits ---------------------------------------------------------------------------------
  /**
   * Adds a node of `kind`. With `after`, places it right of that node and connects after -> new
   * when that is a valid edge. Returns the new id; the new node becomes the selection.
   */
  addNode(kind: NodeKind, position: XY | null, opts: { after?: string } = {}): string {
    const doc = this.state.doc;
    const id = nextNodeId(doc, kind);
    const after = opts.after ? doc.nodes.find((n) => n.id === opts.after) : undefined;
    const pos = position ?? (after ? freeSpotRightOf(doc, after.position) : freeSpot(doc));
    let next = addNode(doc, makeNode(kind, id, pos));
    if (after && !isSink(after) && checkConnection(next, after.id, id).ok) next = connect(next, after.id, id);
    this.apply(`Add ${kindLabel(kind)}`, next, { select: [id] });
    return id;
  }

  /** Adds an edge if valid; otherwise returns why not and changes nothing. */
  connect(source: string, target: string): ConnectionCheck {
    const check = checkConnection(this.state.doc, source, target);
    if (check.ok) this.apply("Connect", connect(this.state.doc, source, target));
    return check;
  }

  /** Transient positions while dragging (no history, no document change). */
  drag(positions: ReadonlyMap<string, XY>): void {
    const merged = new Map(this.state.dragging ?? []);
    for (const [id, p] of positions) merged.set(id, p);
    this.set({ dragging: merged });
  }

  /** Drop: commits the dragged positions as one move. */
  endDrag(positions: ReadonlyMap<string, XY> = new Map()): void {
    const all = new Map(this.state.dragging ?? []);
    for (const [id, p] of positions) all.set(id, p);
    this.state = { ...this.state, dragging: null };
    const next = moveNodes(this.state.doc, all);
    if (next === this.state.doc) this.set({});
    else this.apply(all.size > 1 ? `Move ${all.size} nodes` : "Move node", next);
  }

  moveNodes(positions: ReadonlyMap<string, XY>, label = "Move"): void {
    this.apply(label, moveNodes(this.state.doc, positions));
  }

  updateParams(id: string, patch: Record<string, unknown>, field = Object.keys(patch).join(",")): void {
    this.apply("Edit settings", updateParams(this.state.doc, id, patch), { coalesce: `params:${id}:${field}` });
  }

  renameNode(id: string, name: string): void {
    this.apply("Rename node", renameNode(this.state.doc, id, name), { coalesce: `name:${id}` });
  }

  setPipelineName(name: string): void {
    if (name === this.state.doc.name) return;
    this.apply("Rename pipeline", { ...this.state.doc, name }, { coalesce: "pipeline-name" });
  }

  deleteSelection(): void {
    const { selectedNodes, selectedEdges } = this.state;
    if (!selectedNodes.length && !selectedEdges.length) return;
    const n = selectedNodes.length + selectedEdges.length;
    this.apply(n === 1 ? (selectedNodes.length ? "Delete node" : "Delete edge") : `Delete ${n} items`, removeElements(this.state.doc, selectedNodes, selectedEdges), { select: [] });
  }

  /** Rearranges every node with the layered auto-layout. */
  autoLayout(): void {
    this.apply("Auto-layout", moveNodes(this.state.doc, autoLayout(this.state.doc)));
  }

  // --- selection -----------------------------------------------------------------------------
  select(nodes: readonly string[], edges: readonly string[] = []): void {
    if (sameList(nodes, this.state.selectedNodes) && sameList(edges, this.state.selectedEdges)) return;
    this.lastCoalesce = null;
    // The unchanged list keeps its identity: a fresh selectedEdges array on every node click
    // re-derived all edges, and xyflow re-rendered every one of them.
    this.set({ selectedNodes: keep(this.state.selectedNodes, [...nodes]), selectedEdges: keep(this.state.selectedEdges, [...edges]) });
  }
  selectAll(): void {
    this.select(this.state.doc.nodes.map((n) => n.id), this.state.doc.edges.map(edgeId));
  }

  // --- clipboard -----------------------------------------------------------------------------
  copy(): number {
    const ids = this.state.selectedNodes;
    if (!ids.length) return 0;
    clipboard = { fragment: structuredClone(copyFragment(this.state.doc, ids)), pastes: 0 };
    return ids.length;
  }

  paste(): string[] {
    if (!clipboard || !clipboard.fragment.nodes.length) return [];
    clipboard.pastes++;
    const d = 40 * clipboard.pastes;
    const { doc, ids } = pasteFragment(this.state.doc, clipboard.fragment, { x: d, y: d });
    this.apply(ids.length === 1 ? "Paste node" : `Paste ${ids.length} nodes`, doc, { select: ids });
    return ids;
  }

  duplicate(): string[] {
    const ids = this.state.selectedNodes;
    if (!ids.length) return [];
    const { doc, ids: fresh } = pasteFragment(this.state.doc, copyFragment(this.state.doc, ids));
    this.apply(fresh.length === 1 ? "Duplicate node" : `Duplicate ${fresh.length} nodes`, doc, { select: fresh });
    return fresh;
  }

  hasClipboard(): boolean {
    return clipboard !== null && clipboard.fragment.nodes.length > 0;
  }
}

/** For tests: forget the tab-wide clipboard. */
export function clearClipboard(): void {
  clipboard = null;
}

const kindLabel = (k: NodeKind) => KINDS[k].label;

const GAP_X = 80;

/** A spot right of `p` that no node occupies (moving down until free). */
function freeSpotRightOf(doc: PipelineDocument, p: XY): XY {
  const spot = { x: p.x + NODE_WIDTH + GAP_X, y: p.y };
  while (doc.nodes.some((n) => Math.abs(n.position.x - spot.x) < NODE_WIDTH && Math.abs(n.position.y - spot.y) < NODE_HEIGHT)) spot.y += NODE_HEIGHT + 40;
  return spot;
}

/** Right of everything on the canvas, at the top. */
function freeSpot(doc: PipelineDocument): XY {
  if (!doc.nodes.length) return { x: 0, y: 0 };
  const right = Math.max(...doc.nodes.map((n) => n.position.x));
  const top = Math.min(...doc.nodes.map((n) => n.position.y));
  return freeSpotRightOf(doc, { x: right, y: top });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
