"use client";
// The @xyflow/react canvas, controlled by the editor store: nodes and edges are derived from the
// document (node objects reused while unchanged, so a 300-node graph stays cheap), drags are
// transient until the drop, connections are checked as you drag and refused with a reason.
import {
  Background, BackgroundVariant, Controls, ReactFlow, useReactFlow, useStore,
  type Connection, type ReactFlowState, type Edge, type EdgeChange, type FinalConnectionState, type NodeChange, type NodeTypes,
} from "@xyflow/react";
import { useCallback, useMemo, useRef, useState, type DragEvent } from "react";
import { NODE_KINDS, nodeSummary, type NodeKind } from "@/server/pipeline";
import { useToast } from "@/components/ui/toast";
import { checkConnection, edgeId, type XY } from "./doc-ops";
import { useEditor, useEditorState } from "./editor-context";
import { nodeTone, TONE_COLOR } from "./kind-style";
import { NODE_HEIGHT, NODE_WIDTH } from "./layout";
import { Minimap } from "./minimap";
import { LOW_ZOOM, PipelineNodeComponent, type PipelineFlowNode } from "./pipeline-node";
import { RunOverlay } from "@/components/runs/run-overlay";
import { useCan } from "@/components/auth/auth-context";
import { PreviewOverlay } from "@/components/preview/preview-overlay";

export const PALETTE_MIME = "application/x-etl-node-kind";

const nodeTypes: NodeTypes = { pipeline: PipelineNodeComponent };
const fitViewOptions = { maxZoom: 1, padding: 0.2 };
const proOptions = { hideAttribution: true };
// Props of <ReactFlow> must keep their identity across renders: xyflow copies every changed prop
// into its store, and a fresh defaultEdgeOptions object re-rendered all 300 edges per drag move.
const defaultEdgeOptions = { type: "smoothstep" } as const;
const multiSelectionKeyCode = ["Meta", "Control", "Shift"];

type Dims = { width: number; height: number };
// A boolean, so the canvas re-renders only when the zoom crosses LOW_ZOOM, never per zoom step.
const lowZoomSelector = (s: ReactFlowState) => s.transform[2] < LOW_ZOOM;
interface Cached { parts: readonly unknown[]; node: PipelineFlowNode }

export function Canvas() {
  const { store, analysis } = useEditor();
  const state = useEditorState(store);
  const rf = useReactFlow();
  const edit = useCan("editor");
  const toast = useToast();
  const [hint, setHint] = useState<string | null>(null);
  const measured = useRef(new Map<string, Dims>());
  const [measureTick, setMeasureTick] = useState(0);
  const cache = useRef(new Map<string, Cached>());
  const { doc, dragging } = state;
  // Fit once on open when there is something to fit; an empty pipeline keeps the default
  // viewport, so dropping the first node does not move the canvas under the user's hand.
  const [fitOnOpen] = useState(() => doc.nodes.length > 0);
  // Semantic zoom: one class on the wrapper hides every node's text (display: none, so Chromium
  // neither lays out, paints nor layerizes it); the nodes themselves do not re-render.
  const lowZoom = useStore(lowZoomSelector);

  const selectedNodes = useMemo(() => new Set(state.selectedNodes), [state.selectedNodes]);
  const selectedEdges = useMemo(() => new Set(state.selectedEdges), [state.selectedEdges]);

  const nodes = useMemo(() => {
    const next = new Map<string, Cached>();
    const out = doc.nodes.map((n) => {
      const diags = analysis.byNode.get(n.id) ?? [];
      let errors = 0;
      for (const d of diags) if (d.severity === "error") errors++;
      const warnings = diags.length - errors;
      const first = diags[0] ? diags[0].message : null;
      const moving = dragging?.get(n.id);
      const pos = moving ?? n.position;
      const dims = measured.current.get(n.id);
      const parts = [n, selectedNodes.has(n.id), pos.x, pos.y, !!moving, dims, errors, warnings, first];
      const prev = cache.current.get(n.id);
      if (prev && prev.parts.length === parts.length && prev.parts.every((p, i) => p === parts[i])) {
        next.set(n.id, prev);
        return prev.node;
      }
      // Every node object has the same keys in the same order: xyflow copies them into its
      // internal nodes, and one shape keeps its hot loops (edge positions, visibility) from
      // deoptimizing when the first node starts to move.
      const node: PipelineFlowNode = {
        id: n.id,
        type: "pipeline",
        position: { x: pos.x, y: pos.y },
        selected: selectedNodes.has(n.id),
        // xyflow's .dragging class, and the node hides its schema tooltip while it moves.
        dragging: !!moving,
        data: { node: n, summary: nodeSummary(n), errors, warnings, firstProblem: first },
        measured: dims,
      };
      next.set(n.id, { parts, node });
      return node;
    });
    cache.current = next;
    return out;
    // measureTick: re-derive once xyflow has measured nodes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc.nodes, selectedNodes, dragging, analysis.byNode, measureTick]);

  // Edge objects are reused while unchanged, like nodes: xyflow re-renders an edge whose object
  // changed, so selecting one edge or connecting two nodes re-renders one edge, not all of them.
  const edgeCache = useRef(new Map<string, Edge>());
  const edges = useMemo<Edge[]>(() => {
    const next = new Map<string, Edge>();
    const out = doc.edges.map((e) => {
      const id = edgeId(e);
      const selected = selectedEdges.has(id);
      const prev = edgeCache.current.get(id);
      const edge = prev && prev.selected === selected ? prev : { id, source: e.source, target: e.target, selected, ariaLabel: `Edge from ${e.source} to ${e.target}` };
      next.set(id, edge);
      return edge;
    });
    edgeCache.current = next;
    return out;
  }, [doc.edges, selectedEdges]);

  const onNodesChange = useCallback((changes: NodeChange<PipelineFlowNode>[]) => {
    let dims = false;
    const drag = new Map<string, XY>();
    const drop = new Map<string, XY>();
    let selection: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === "dimensions" && c.dimensions) {
        measured.current.set(c.id, c.dimensions);
        dims = true;
      } else if (c.type === "position" && c.position) {
        (c.dragging ? drag : drop).set(c.id, c.position);
      } else if (c.type === "select") {
        selection ??= new Set(store.getState().selectedNodes);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
    }
    if (drag.size) store.drag(drag);
    if (drop.size) store.endDrag(drop);
    if (selection) store.select([...selection], store.getState().selectedEdges);
    if (dims) setMeasureTick((t) => t + 1);
  }, [store]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    let selection: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === "select") {
        selection ??= new Set(store.getState().selectedEdges);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
    }
    if (selection) store.select(store.getState().selectedNodes, [...selection]);
  }, [store]);

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const check = checkConnection(store.doc, c.source, c.target);
    const reason = check.ok ? null : check.reason;
    setHint((h) => (h === reason ? h : reason));
    return check.ok;
  }, [store]);

  const onConnect = useCallback((c: Connection) => {
    const check = store.connect(c.source, c.target);
    if (!check.ok) toast(`Cannot connect: ${check.reason}`, "error");
  }, [store, toast]);

  const onConnectEnd = useCallback((_: MouseEvent | TouchEvent, s: FinalConnectionState) => {
    setHint(null);
    if (s.isValid === false && s.fromNode && s.toNode) {
      const [source, target] = s.fromHandle?.type === "target" ? [s.toNode.id, s.fromNode.id] : [s.fromNode.id, s.toNode.id];
      const check = checkConnection(store.doc, source, target);
      if (!check.ok) toast(`Cannot connect: ${check.reason}`, "error");
    }
  }, [store, toast]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    if (!edit.ok) return;
    const kind = e.dataTransfer.getData(PALETTE_MIME) as NodeKind;
    if (!(NODE_KINDS as readonly string[]).includes(kind)) return;
    e.preventDefault();
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    store.addNode(kind, { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 });
  }, [rf, store, edit.ok]);

  const minimapColor = useCallback((n: PipelineFlowNode) => TONE_COLOR[nodeTone(n.data.node)], []);

  return (
    <div className={lowZoom ? "canvas low-zoom" : "canvas"} onDragOver={onDragOver} onDrop={onDrop} aria-label="Pipeline canvas" role="region">
      <ReactFlow<PipelineFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        nodesDraggable={edit.ok}
        nodesConnectable={edit.ok}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={multiSelectionKeyCode}
        fitView={fitOnOpen}
        fitViewOptions={fitViewOptions}
        minZoom={0.1}
        maxZoom={2}
        proOptions={proOptions}
        defaultEdgeOptions={defaultEdgeOptions}
        onlyRenderVisibleElements={doc.nodes.length > 150}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd2dc" />
        <RunOverlay />
        <PreviewOverlay />
        <Controls showInteractive={false} fitViewOptions={fitViewOptions} />
        <Minimap<PipelineFlowNode> nodeColor={minimapColor} />
      </ReactFlow>
      {hint ? <div className="connect-hint" role="status">Cannot connect: {hint}</div> : null}
      {doc.nodes.length === 0 ? (
        <div className="canvas-empty">
          <p><strong>Empty pipeline.</strong> Drag a node from the palette, or click one to add it.</p>
          <p className="muted">Start with <em>Read parquet</em>, end with <em>Write</em>. Press <kbd>?</kbd> for shortcuts.</p>
        </div>
      ) : null}
    </div>
  );
}
