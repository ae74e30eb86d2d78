"use client";
// The preview's error drawn on the canvas, on the node it belongs to (mounted inside
// <ReactFlow>, in flow coordinates, never catching the pointer): a UDF that raised shows its
// message and the line of the user's code under that node; a preview stopped at its time
// limit says so on the node that was running.
import { useNodes, ViewportPortal } from "@xyflow/react";
import { useEditor, useEditorSelector } from "@/components/canvas/editor-context";
import { NODE_HEIGHT, NODE_WIDTH } from "@/components/canvas/layout";
import { usePreviewView } from "./preview-store";
import "./preview.css";

const KIND_TEXT: Record<string, string> = { UDF_ERROR: "Python error", NODE_ERROR: "failed", TIMEOUT: "stopped: time limit", INVALID: "cannot preview" };

export function PreviewOverlay() {
  const { store } = useEditor();
  const docId = useEditorSelector(store, (s) => s.doc.id);
  const view = usePreviewView(docId);
  const flowNodes = useNodes();
  const r = view.open ? view.result : null;
  if (!r || r.ok || !r.error.nodeId || !(r.error.code in KIND_TEXT)) return null;
  const e = r.error;
  const n = flowNodes.find((x) => x.id === e.nodeId);
  if (!n) return null;
  const w = n.measured?.width ?? NODE_WIDTH;
  const h = n.measured?.height ?? NODE_HEIGHT;
  return (
    <ViewportPortal>
      <div className="pv-node-error" style={{ transform: `translate(${n.position.x}px, ${n.position.y + h + 8}px)`, width: w }}
        data-testid={`preview-error-${e.nodeId}`} role="note" aria-label={`Preview error on ${e.nodeId}`}>
        <strong>{KIND_TEXT[e.code]}{e.line ? ` · line ${e.line}` : ""}</strong>
        <span>{e.message}</span>
      </div>
    </ViewportPortal>
  );
}
