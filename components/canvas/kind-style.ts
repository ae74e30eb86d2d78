// How each node kind looks on the canvas and in the palette: a colour family per category
// (sources teal, expression transforms blue, Python violet, sinks orange) and a small glyph.
import type { NodeKind, PipelineNode } from "@/server/pipeline/schema";

export type Tone = "source" | "transform" | "python" | "sink";

export const KIND_TONE: Record<NodeKind, Tone> = {
  "read-parquet": "source",
  "add-column": "transform",
  "drop-columns": "transform",
  sort: "transform",
  "udf-filter": "python",
  write: "sink",
};

export const KIND_GLYPH: Record<NodeKind, string> = {
  "read-parquet": "⇥",
  "add-column": "+",
  "drop-columns": "−",
  sort: "↓",
  "udf-filter": "ƒ",
  write: "⇤",
};

/** A node's tone: an add-column in Python mode counts as Python. */
export function nodeTone(n: PipelineNode): Tone {
  if (n.kind === "add-column" && n.params.mode === "python") return "python";
  return KIND_TONE[n.kind];
}

export const TONE_COLOR: Record<Tone, string> = {
  source: "#0f766e",
  transform: "#2563eb",
  python: "#7c3aed",
  sink: "#c2410c",
};
