// Cache keys of previews: a hash of what the rows after a node depend on — the node and its
// ancestors (id, kind, params; never positions or names), the edges between them, the rows
// asked for, and the source's files (path, size, mtime). Editing a node changes the key of
// that node and of everything downstream, and of nothing upstream.
import { createHash } from "node:crypto";
import type { PipelineDocument } from "../pipeline/schema";

/** One data file as it identifies its version. */
export interface FileStamp {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** JSON with object keys sorted at every level (params may arrive in any key order). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

/**
 * The cache key of a preview of `nodeId`, given the ids of the node and its ancestors.
 * Example: previewKey(doc, "sort", ["read", "ratio", "drop", "sort"], files, { rows: 100 }) // "9f2c…" (64 hex chars)
 */
export function previewKey(
  doc: PipelineDocument,
  nodeId: string,
  upstream: readonly string[],
  files: readonly FileStamp[],
  extra: Readonly<Record<string, unknown>>,
): string {
  const ids = new Set(upstream);
  const nodes = doc.nodes.filter((n) => ids.has(n.id)).map((n) => ({ id: n.id, kind: n.kind, params: n.params })).sort((a, b) => (a.id < b.id ? -1 : 1));
  const edges = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => `${e.source}->${e.target}`).sort();
  const h = createHash("sha256");
  h.update(canonicalJson({ nodeId, nodes, edges, extra }));
  for (const f of files) h.update(`\n${f.path}\0${f.size}\0${f.mtimeMs}`);
  return h.digest("hex");
}
