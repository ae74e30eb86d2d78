// The editor store: every edit is a document transition, undo/redo walks them, connections are
// refused with a reason, copy/paste and duplicate get fresh ids.
import { beforeEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION, type PipelineDocument } from "@/server/pipeline/schema";
import { checkConnection, edgeId } from "./doc-ops";
import { clearClipboard, EditorStore } from "./store";

const empty = (): PipelineDocument => ({ schemaVersion: SCHEMA_VERSION, id: "p", name: "P", nodes: [], edges: [] });

function chain(): EditorStore {
  const s = new EditorStore(empty());
  s.addNode("read-parquet", { x: 0, y: 0 });
  s.addNode("sort", null, { after: "read_1" });
  s.addNode("write", null, { after: "sort_1" });
  return s;
}

beforeEach(() => clearClipboard());

describe("EditorStore history", () => {
  it("undoes and redoes adds, moves, connects, config edits and deletes in order", () => {
    const s = new EditorStore(empty());
    const snapshots: PipelineDocument[] = [s.doc];
    s.addNode("read-parquet", { x: 0, y: 0 });
    snapshots.push(s.doc);
    s.addNode("drop-columns", { x: 300, y: 0 });
    snapshots.push(s.doc);
    s.endDrag(new Map([["drop_1", { x: 320, y: 40 }]]));
    snapshots.push(s.doc);
    expect(s.connect("read_1", "drop_1")).toEqual({ ok: true });
    snapshots.push(s.doc);
    s.updateParams("drop_1", { columns: ["review_body"] });
    snapshots.push(s.doc);
    s.select(["read_1"]);
    s.deleteSelection();
    snapshots.push(s.doc);
    expect(s.doc.nodes.map((n) => n.id)).toEqual(["drop_1"]);
    expect(s.doc.edges).toEqual([]);

    for (let i = snapshots.length - 2; i >= 0; i--) {
      expect(s.undo()).toBe(true);
      expect(s.doc).toEqual(snapshots[i]);
    }
    expect(s.undo()).toBe(false);
    for (let i = 1; i < snapshots.length; i++) {
      expect(s.redo()).toBe(true);
      expect(s.doc).toEqual(snapshots[i]);
    }
    expect(s.redo()).toBe(false);
  });

  it("labels the step undo would revert", () => {
    const s = chain();
    expect(s.getState().undoLabel).toBe("Add Write");
    s.undo();
    expect(s.getState().redoLabel).toBe("Add Write");
  });

  it("a new edit after undo drops the redo branch", () => {
    const s = chain();
    s.undo();
    s.addNode("sort", { x: 0, y: 300 });
    expect(s.redo()).toBe(false);
  });

  it("coalesces keystrokes in one field into one step, but not edits to other fields", () => {
    let t = 0;
    const s = new EditorStore(empty(), { now: () => t });
    s.addNode("add-column", { x: 0, y: 0 });
    for (const text of ["a", "a ", "a +", "a + 1"]) {
      t += 100;
      s.updateParams("add_1", { expression: text }, "expression");
    }
    t += 100;
    s.updateParams("add_1", { column: "x" }, "column");
    s.undo();
    expect(s.doc.nodes[0].params).toMatchObject({ expression: "a + 1", column: "" });
    s.undo();
    expect(s.doc.nodes[0].params).toMatchObject({ expression: "" });
  });

  it("does not coalesce after a pause or after breakCoalescing", () => {
    let t = 0;
    const s = new EditorStore(empty(), { now: () => t, coalesceMs: 1000 });
    s.addNode("add-column", { x: 0, y: 0 });
    s.updateParams("add_1", { expression: "a" }, "expression");
    t += 5000;
    s.updateParams("add_1", { expression: "ab" }, "expression");
    s.breakCoalescing();
    s.updateParams("add_1", { expression: "abc" }, "expression");
    s.undo();
    expect(s.doc.nodes[0].params).toMatchObject({ expression: "ab" });
    s.undo();
    expect(s.doc.nodes[0].params).toMatchObject({ expression: "a" });
  });

  it("drag positions are transient until the drop, which is one step", () => {
    const s = chain();
    const before = s.doc;
    s.drag(new Map([["sort_1", { x: 10, y: 10 }]]));
    s.drag(new Map([["sort_1", { x: 20, y: 30 }]]));
    expect(s.doc).toBe(before);
    expect(s.getState().dragging?.get("sort_1")).toEqual({ x: 20, y: 30 });
    s.endDrag();
    expect(s.getState().dragging).toBeNull();
    expect(s.doc.nodes.find((n) => n.id === "sort_1")!.position).toEqual({ x: 20, y: 30 });
    s.undo();
    expect(s.doc).toBe(before);
  });

  it("a drop or an edit that leaves the selection alone keeps the same selection arrays", () => {
    const s = chain();
    s.select(["sort_1"], [edgeId(s.doc.edges[0])]);
    const { selectedNodes, selectedEdges } = s.getState();
    expect(selectedEdges).toHaveLength(1);
    s.drag(new Map([["sort_1", { x: 20, y: 30 }]]));
    s.endDrag();
    expect(s.getState().selectedNodes).toBe(selectedNodes);
    expect(s.getState().selectedEdges).toBe(selectedEdges);
    s.updateParams("sort_1", { keys: [] });
    expect(s.getState().selectedNodes).toBe(selectedNodes);
    // a delete that drops part of the selection still gives a new, filtered array
    s.deleteSelection();
    expect(s.getState().selectedNodes).toEqual([]);
  });

  it("selecting another node keeps the edge selection array, and the node array when only edges change", () => {
    const s = chain();
    s.select(["sort_1"]);
    const { selectedNodes, selectedEdges } = s.getState();
    s.select(["read_1"]);
    expect(s.getState().selectedNodes).toEqual(["read_1"]);
    expect(s.getState().selectedEdges).toBe(selectedEdges);
    const nodesNow = s.getState().selectedNodes;
    s.select(["read_1"], [edgeId(s.doc.edges[0])]);
    expect(s.getState().selectedNodes).toBe(nodesNow);
    expect(s.getState().selectedNodes).not.toBe(selectedNodes);
  });

  it("notifies subscribers and keeps snapshots stable between edits", () => {
    const s = new EditorStore(empty());
    let calls = 0;
    const off = s.subscribe(() => calls++);
    const a = s.getState();
    expect(s.getState()).toBe(a);
    s.addNode("sort", null);
    expect(calls).toBe(1);
    expect(s.getState()).not.toBe(a);
    off();
    s.undo();
    expect(calls).toBe(1);
  });

  it("reset replaces the document and clears history", () => {
    const s = chain();
    s.reset(empty());
    expect(s.doc.nodes).toEqual([]);
    expect(s.undo()).toBe(false);
  });
});

describe("adding nodes", () => {
  it("click-to-add after the selected node connects it and selects the new node", () => {
    const s = chain();
    expect(s.doc.edges).toEqual([{ source: "read_1", target: "sort_1" }, { source: "sort_1", target: "write_1" }]);
    expect(s.getState().selectedNodes).toEqual(["write_1"]);
    const sort = s.doc.nodes.find((n) => n.id === "sort_1")!;
    const read = s.doc.nodes.find((n) => n.id === "read_1")!;
    expect(sort.position.x).toBeGreaterThan(read.position.x);
  });

  it("does not connect after a sink", () => {
    const s = chain();
    s.addNode("sort", null, { after: "write_1" });
    expect(s.doc.edges).toHaveLength(2);
  });

  it("new nodes get the kind's default settings and readable ids", () => {
    const s = new EditorStore(empty());
    s.addNode("udf-filter", null);
    s.addNode("udf-filter", null);
    expect(s.doc.nodes.map((n) => n.id)).toEqual(["filter_1", "filter_2"]);
    expect(s.doc.nodes[0].params).toMatchObject({ compute: { strategy: "tasks" } });
  });
});

describe("connection validation", () => {
  it("refuses a cycle, naming the path", () => {
    const s = new EditorStore(empty());
    s.addNode("add-column", null);
    s.addNode("sort", null, { after: "add_1" });
    s.addNode("drop-columns", null, { after: "sort_1" });
    const c = checkConnection(s.doc, "drop_1", "add_1");
    expect(c).toEqual({ ok: false, reason: "That would create a cycle: add_1 → sort_1 → drop_1 → add_1" });
    expect(s.connect("drop_1", "add_1").ok).toBe(false);
    expect(s.doc.edges).toHaveLength(2);
  });

  it("refuses a second input to a transform or a sink", () => {
    const s = chain();
    s.addNode("read-parquet", { x: 0, y: 400 });
    expect(s.connect("read_2", "sort_1")).toMatchObject({ ok: false, reason: expect.stringMatching(/already has an input.*exactly one/) });
    expect(s.connect("read_2", "write_1")).toMatchObject({ ok: false, reason: expect.stringMatching(/already has an input/) });
  });

  it("refuses inputs to sources, outputs from sinks, self-loops and duplicates", () => {
    const s = chain();
    expect(checkConnection(s.doc, "sort_1", "read_1")).toMatchObject({ ok: false, reason: "Read parquet is a source: it takes no input" });
    expect(checkConnection(s.doc, "write_1", "sort_1")).toMatchObject({ ok: false, reason: "Write is a sink: it has no output" });
    expect(checkConnection(s.doc, "sort_1", "sort_1")).toMatchObject({ ok: false });
    expect(checkConnection(s.doc, "read_1", "sort_1")).toMatchObject({ ok: false, reason: "These nodes are already connected" });
  });

  it("allows a node to feed several", () => {
    const s = chain();
    s.addNode("write", { x: 600, y: 300 });
    expect(s.connect("sort_1", "write_2")).toEqual({ ok: true });
  });
});

describe("clipboard", () => {
  it("copy/paste gives fresh ids, offset positions and keeps internal edges only", () => {
    const s = chain();
    s.updateParams("sort_1", { keys: [{ column: "total_votes", descending: true }] });
    s.select(["sort_1", "write_1"]);
    expect(s.copy()).toBe(2);
    const pasted = s.paste();
    expect(pasted).toEqual(["sort_2", "write_2"]);
    expect(s.getState().selectedNodes).toEqual(pasted);
    expect(s.doc.edges).toContainEqual({ source: "sort_2", target: "write_2" });
    expect(s.doc.edges.filter((e) => e.target === "sort_2")).toEqual([]);
    const orig = s.doc.nodes.find((n) => n.id === "sort_1")!;
    const copy = s.doc.nodes.find((n) => n.id === "sort_2")!;
    expect(copy.params).toEqual(orig.params);
    expect(copy.params).not.toBe(orig.params);
    expect(copy.position).toEqual({ x: orig.position.x + 40, y: orig.position.y + 40 });
    // A second paste lands further away, and one undo removes it.
    s.paste();
    expect(s.doc.nodes.find((n) => n.id === "sort_3")!.position).toEqual({ x: orig.position.x + 80, y: orig.position.y + 80 });
    s.undo();
    expect(s.doc.nodes.some((n) => n.id === "sort_3")).toBe(false);
  });

  it("paste is a no-op with an empty clipboard; copy of nothing copies nothing", () => {
    const s = chain();
    s.select([]);
    expect(s.copy()).toBe(0);
    expect(s.paste()).toEqual([]);
  });

  it("editing the original after copy does not change what is pasted", () => {
    const s = chain();
    s.select(["sort_1"]);
    s.copy();
    s.updateParams("sort_1", { keys: [{ column: "x", descending: false }] });
    const [id] = s.paste();
    expect(s.doc.nodes.find((n) => n.id === id)!.params).toEqual({ keys: [] });
  });

  it("duplicate copies the selection in one step", () => {
    const s = chain();
    s.select(["read_1", "sort_1"]);
    expect(s.duplicate()).toEqual(["read_2", "sort_2"]);
    expect(s.doc.edges).toContainEqual({ source: "read_2", target: "sort_2" });
    s.undo();
    expect(s.doc.nodes).toHaveLength(3);
  });
});

describe("deleting", () => {
  it("deletes selected edges alone, and nodes with their edges", () => {
    const s = chain();
    s.select([], ["read_1->sort_1"]);
    s.deleteSelection();
    expect(s.doc.edges).toEqual([{ source: "sort_1", target: "write_1" }]);
    s.select(["write_1"]);
    s.deleteSelection();
    expect(s.doc.edges).toEqual([]);
    expect(s.getState().selectedNodes).toEqual([]);
  });
});
