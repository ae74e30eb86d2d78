"use client";
// The palette: every node kind, grouped by category. Drag one onto the canvas, or click it to
// add it after the selected node (connected when that is a valid edge).
import { KINDS, NODE_KINDS, type NodeKind } from "@/server/pipeline";
import { PALETTE_MIME } from "./canvas";
import { useEditor } from "./editor-context";
import { KIND_GLYPH, KIND_TONE } from "./kind-style";

const GROUPS = [
  { category: "source", title: "Sources" },
  { category: "transform", title: "Transforms" },
  { category: "sink", title: "Sinks" },
] as const;

export function Palette() {
  const { store, focusNode } = useEditor();
  const add = (kind: NodeKind) => {
    const sel = store.getState().selectedNodes;
    const id = store.addNode(kind, null, sel.length === 1 ? { after: sel[0] } : {});
    focusNode(id);
  };
  return (
    <nav className="palette" aria-label="Node palette">
      {GROUPS.map((g) => (
        <section key={g.category}>
          <h3 className="palette-title">{g.title}</h3>
          {NODE_KINDS.filter((k) => KINDS[k].category === g.category).map((k) => (
            <button
              key={k}
              type="button"
              className={`palette-item tone-${KIND_TONE[k]}`}
              draggable
              title={`${KINDS[k].description}\nDrag onto the canvas, or click to add after the selected node.`}
              onDragStart={(e) => {
                e.dataTransfer.setData(PALETTE_MIME, k);
                e.dataTransfer.effectAllowed = "copy";
              }}
              onClick={() => add(k)}
            >
              <span className="pnode-glyph" aria-hidden>{KIND_GLYPH[k]}</span>
              <span>{KINDS[k].label}</span>
            </button>
          ))}
        </section>
      ))}
      <p className="palette-help muted small">Drag onto the canvas, or click to add after the selected node.</p>
    </nav>
  );
}
