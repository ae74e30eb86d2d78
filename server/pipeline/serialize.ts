// Writes a pipeline document as git-friendly JSON: stable key order (the schema's), 2-space
// indent, trailing newline, positions last so layout moves show as small diffs.
import type { z } from "zod";
import { NodeSchema, PipelineDocumentSchema, PositionSchema, type PipelineDocument, type PipelineNode } from "./schema";

const TOP_KEYS = ["schemaVersion", "id", "name", "description", "nodes", "edges"] as const;
const NODE_KEYS = ["id", "kind", "name", "params", "position"] as const;
const EDGE_KEYS = ["source", "target"] as const;

/**
 * The canonical JSON text of a document; parseDocument(serializeDocument(d)).doc deep-equals d.
 * Example: serializeDocument(doc).startsWith('{\n  "schemaVersion": 1,\n  "id": ')
 */
export function serializeDocument(doc: PipelineDocument): string {
  const top = ordered(doc, TOP_KEYS);
  top.nodes = doc.nodes.map(orderNode);
  top.edges = doc.edges.map((e) => ordered(e, EDGE_KEYS));
  return JSON.stringify(top, null, 2) + "\n";
}

function orderNode(node: PipelineNode): Record<string, unknown> {
  const out = ordered(node, NODE_KEYS);
  const option = NodeSchema.options.find((o) => o.shape.kind.value === node.kind);
  if (option) out.params = orderBySchema(node.params, option.shape.params);
  if (node.position !== undefined) out.position = orderBySchema(node.position, PositionSchema);
  return out;
}

/** Copies `value` with `keys` first (those present), then any other keys in their existing order. */
function ordered<T extends object>(value: T, keys: readonly string[]): Record<string, unknown> {
  const src = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!keys.includes(k) && src[k] !== undefined) out[k] = src[k];
  return out;
}

/** Orders object keys as the zod schema declares them, through defaults, nullables and arrays. */
function orderBySchema(value: unknown, schema: z.ZodType): unknown {
  const def = schema.def as { type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType> };
  if (value === null || value === undefined) return value;
  if ((def.type === "default" || def.type === "nullable" || def.type === "optional") && def.innerType) {
    return orderBySchema(value, def.innerType);
  }
  if (def.type === "array" && def.element && Array.isArray(value)) return value.map((v) => orderBySchema(v, def.element!));
  if (def.type === "object" && def.shape && typeof value === "object" && !Array.isArray(value)) {
    const shape = def.shape;
    const out = ordered(value, Object.keys(shape));
    for (const k of Object.keys(shape)) if (k in out) out[k] = orderBySchema(out[k], shape[k]);
    return out;
  }
  return value;
}

// Keeps the top-level key list honest if the schema grows a field.
type MissingTopKey = Exclude<keyof z.infer<typeof PipelineDocumentSchema>, (typeof TOP_KEYS)[number]>;
const _allTopKeys: MissingTopKey extends never ? true : never = true;
void _allTopKeys;
