"use client";
// The preview's error drawn on the canvas, on the node it belongs to (mounted inside
// <ReactFlow>, in flow coordinates, never catching the pointer): a UDF that raised shows its
// message and the line of the user's code under that node; a preview stopped at its time
// limit says so on the node that was running.
import { useInternalNode, ViewportPortal } from "@xyflow/react";
import { useEditor, useEditorSelector } from "@/components/canvas/editor-context";
import { NODE_HEIGHT, NODE_WIDTH } from "@/components/canvas/layout";
import type { PreviewError } from "@/server/preview/types";
import { usePreviewView } from "./preview-store";
import "./preview.css";

const KIND_TEXT: Record<string, string> = { UDF_ERROR: "Python error", NODE_ERROR: "failed", TIMEOUT: "stopped: time limit", INVALID: "cannot preview" };

export function PreviewOverlay() {
  const { store } = useEditor();
  const docId = useEditorSelector(store, (s) => s.doc.id);
  const view = usePreviewView(docId);
  const r = view.open ? view.result : null;
  if (!r || r.ok || !r.error.nodeId || !(r.error.code in KIND_TEXT)) return null;
  return <NodeError error={r.error} nodeId={r.error.nodeId} />;
}

/** Follows its one node only: dragging any other node re-renders nothing here. */
function NodeError({ error: e, nodeId }: { error: PreviewError; nodeId: string }) {
  const n = useInternalNode(nodeId);
  if (!n) return null;
  const w = n.measured?.width ?? NODE_WIDTH;
  const h = n.measured?.height ?? NODE_HEIGHT;
  return (
    <ViewportPortal>
      <div className="pv-node-error" style={{ transform: `translate(${n.internals.positionAbsolute.x}px, ${n.internals.positionAbsolute.y + h + 8}px)`, width: w }}
        data-testid={`preview-error-${e.nodeId}`} role="note" aria-label={`Preview error on ${e.nodeId}`}>
        <strong>{KIND_TEXT[e.code]}{e.line ? ` · line ${e.line}` : ""}</strong>
        <span>{e.message}</span>
      </div>
    </ViewportPortal>
  );
}
