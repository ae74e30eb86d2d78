// Reads a pipeline document from text or a JSON value into a typed PipelineDocument, turning
// every problem into diagnostics: malformed JSON, unsupported versions (after migrations),
// unknown node kinds, bad settings and ids. Never throws, whatever the input.
import { diag, type Diagnostic } from "./diagnostics";
import { locateJsonError } from "./json-locate";
import { checkDocumentBytes, checkPipelineCounts } from "./limits";
import { migrate, MIGRATIONS, type Upgrader } from "./migrations";
import { checkNodeIds } from "./node-ids";
import { NODE_KINDS, PipelineDocumentSchema, SCHEMA_VERSION, type PipelineDocument } from "./schema";
import { serializeDocument } from "./serialize";
import { clip, didYouMean } from "./suggest";

export interface ParseResult {
  /** The document, when there are no diagnostics; otherwise null. */
  readonly doc: PipelineDocument | null;
  readonly diagnostics: Diagnostic[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const KNOWN_KINDS: ReadonlySet<string> = new Set(NODE_KINDS);

/**
 * Parses a pipeline document (JSON text, or an already-parsed value).
 * Example: parseDocument('{"schemaVersion": 7}').diagnostics[0].message
 *   === "This file has schemaVersion 7; this version of the app reads 1"
 */
export function parseDocument(input: string | unknown, options: { migrations?: ReadonlyMap<number, Upgrader> } = {}): ParseResult {
  let raw: unknown = input;
  if (typeof input === "string") {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // editors on Windows add a BOM
    const tooLarge = checkDocumentBytes(text); // before parsing: the limit also bounds the work
    if (tooLarge.length) return { doc: null, diagnostics: tooLarge };
    try {
      raw = JSON.parse(text);
    } catch {
      const at = locateJsonError(text);
      const where = at ? `: ${at.problem} at line ${at.line}, column ${at.column}` : "";
      return fail(diag("E_JSON_MALFORMED", `The file is not valid JSON${where}`));
    }
  }
  if (!isObject(raw)) {
    return fail(diag("E_DOC_INVALID", `A pipeline document must be a JSON object, not ${describe(raw)}`));
  }
  const migrated = migrate(raw, options.migrations ?? MIGRATIONS);
  if (!migrated.ok) return fail(versionDiagnostic(migrated.version));

  const doc = migrated.doc;
  const rawNodes = Array.isArray(doc.nodes) ? (doc.nodes as unknown[]) : [];
  const tooMany = checkPipelineCounts(rawNodes.length, Array.isArray(doc.edges) ? doc.edges.length : 0);
  if (tooMany.length) return { doc: null, diagnostics: tooMany };
  const diagnostics: Diagnostic[] = [];
  const skip = new Set<number>(); // nodes already reported; their zod issues would only repeat it
  const idOf = (i: number): string | undefined => {
    const n = rawNodes[i];
    return isObject(n) && typeof n.id === "string" ? n.id : undefined;
  };
  rawNodes.forEach((n, i) => {
    if (!isObject(n)) {
      diagnostics.push(diag("E_DOC_INVALID", `nodes[${i}] must be an object, not ${describe(n)}`));
      skip.add(i);
    } else if (typeof n.kind !== "string" || !KNOWN_KINDS.has(n.kind)) {
      const id = idOf(i);
      const what = typeof n.kind === "string" ? `Unknown node kind '${clip(n.kind)}'` : "Missing node kind";
      const hint = (typeof n.kind === "string" && didYouMean(n.kind, NODE_KINDS)) || `Known kinds: ${NODE_KINDS.join(", ")}`;
      diagnostics.push(diag("E_NODE_KIND_UNKNOWN", `${what} on node ${id === undefined ? i + 1 : `'${clip(id)}'`}`,
        { ...(id !== undefined ? { nodeId: id } : {}), hint }));
      skip.add(i);
    }
  });
  const nonObjects = new Set([...skip].filter((i) => !isObject(rawNodes[i])));
  diagnostics.push(...checkNodeIds(rawNodes.map((n) => (isObject(n) ? n.id : undefined)), nonObjects));

  const parsed = PipelineDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path;
      if (path[0] === "nodes" && typeof path[1] === "number") {
        const i = path[1];
        if (skip.has(i) || path[2] === "id") continue; // reported above
        const id = idOf(i);
        const inParams = path[2] === "params";
        const field = path.slice(inParams ? 3 : 2).map(String).join(".");
        const where = id === undefined ? `node ${i + 1}` : `node '${clip(id)}'`;
        const message = field ? `Invalid setting '${field}' on ${where}: ${issue.message}` : `Invalid settings on ${where}: ${issue.message}`;
        diagnostics.push(diag("E_PARAMS_INVALID", message, { ...(id !== undefined ? { nodeId: id } : {}), ...(field ? { field } : {}) }));
      } else {
        const at = path.length ? `${formatPath(path)}: ` : "";
        diagnostics.push(diag("E_DOC_INVALID", `${at}${issue.message}`));
      }
    }
  }
  if (diagnostics.length > 0 || !parsed.success) return { doc: null, diagnostics };
  // A value (not text) is measured as it would be saved.
  const tooLarge = typeof input === "string" ? [] : checkDocumentBytes(serializeDocument(parsed.data));
  if (tooLarge.length) return { doc: null, diagnostics: tooLarge };
  return { doc: parsed.data, diagnostics: [] };
}

const fail = (d: Diagnostic): ParseResult => ({ doc: null, diagnostics: [d] });

function versionDiagnostic(version: unknown): Diagnostic {
  if (version === undefined) {
    return diag("E_SCHEMA_VERSION", `This file has no schemaVersion; this version of the app reads ${SCHEMA_VERSION}`,
      { hint: `Add "schemaVersion": ${SCHEMA_VERSION} if it was written for this version` });
  }
  const v = typeof version === "number" ? String(version) : describe(version);
  const hint = typeof version === "number" && version > SCHEMA_VERSION
    ? "It was saved by a newer version of the app; upgrade the app to open it"
    : "No upgrade exists from that version";
  return diag("E_SCHEMA_VERSION", `This file has schemaVersion ${v}; this version of the app reads ${SCHEMA_VERSION}`, { hint });
}

/** A short description of any JSON value for messages, never the value itself in full. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return `the text "${clip(v, 30)}"`;
  if (typeof v === "object") return "an object";
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v === "number" ? "the number" : ""} ${String(v)}`.trim();
  return typeof v;
}

/** ["edges", 0, "source"] -> "edges[0].source" */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}
