// Fuzz inputs for pipeline documents, shared by the parser, analysis and compiler fuzz tests:
// the valid documents we ship (examples/ and the compiler's golden pipelines) and fast-check
// arbitraries that break them the way hand edits, old clients and hostile callers do.
// Lives outside server/pipeline because it reads files and imports fast-check.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { DIAGNOSTIC_CODES, type Diagnostic } from "../pipeline/diagnostics";
import { NODE_KINDS } from "../pipeline/schema";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** Every shipped pipeline: examples/*.pipeline.json and server/compiler/golden/<case>/pipeline.json. */
export function shippedDocuments(): { name: string; text: string }[] {
  const examples = path.join(ROOT, "examples");
  const golden = path.join(ROOT, "server/compiler/golden");
  return [
    ...fs.readdirSync(examples).filter((f) => f.endsWith(".pipeline.json")).sort().map((f) => path.join(examples, f)),
    ...fs.readdirSync(golden).sort().map((d) => path.join(golden, d, "pipeline.json")).filter((f) => fs.existsSync(f)),
  ].map((file) => ({ name: path.relative(ROOT, file), text: fs.readFileSync(file, "utf8") }));
}

/** Text users paste into names, paths and code: quotes, escapes, controls, surrogates, RTL, emoji. */
export const trickyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "", " ", '"', "'", "`", "\\", "\n", "\r\n", "\0", "\u2028", "\ud800", "\udfff", "🎉", "👩‍💻", "e\u0301", "\u202e", "\ufeff",
    "__proto__", "constructor", "toString", "hasOwnProperty", "x".repeat(65), "s3://", "../../etc/passwd", "C:\\x", "{x}", "%s",
    "def keep(batch):\n    return batch\n", "def compute(batch):\n    return 1\n", "total_votes", "review_body", "read", "out",
  ),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);

/** Any JSON-ish value a client might send, plus numbers JSON cannot carry (NaN, Infinity) and -0. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, NaN, Infinity, [], {}, [[]], { "": null }),
  trickyText,
  fc.jsonValue({ maxDepth: 3 }),
);

const MUTATIONS = [
  "delete", "duplicate", "retype", "swap-kind", "random-params", "break-edge", "nest", "long-string", "rename-id", "add-key", "grow",
] as const;

/** One edit; `at` picks the location, the rest parameterise the edit. Sizes are expanded when applied, so shrinking stays cheap. */
export interface Mutation {
  readonly op: (typeof MUTATIONS)[number];
  readonly at: number;
  readonly value: unknown;
  readonly text: string;
  readonly size: number;
  readonly flag: boolean;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom(...MUTATIONS),
  at: fc.nat(),
  value: weirdValue,
  text: trickyText,
  size: fc.nat({ max: 4000 }),
  flag: fc.boolean(),
});

type Container = Json[] | { [key: string]: Json };
const isContainer = (v: unknown): v is Container => typeof v === "object" && v !== null;

/** Every container in the tree with its key list; iterative, and capped so grown trees stay cheap to walk. */
function containers(root: Json): Container[] {
  const out: Container[] = [];
  const stack: unknown[] = [root];
  while (stack.length && out.length < 5000) {
    const v = stack.pop();
    if (!isContainer(v)) continue;
    out.push(v);
    for (const child of Object.values(v)) if (isContainer(child)) stack.push(child);
  }
  return out;
}

/** Sets an own property even for "__proto__", as JSON.parse would. */
function setOwn(obj: Container, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function nodesOf(doc: Json): Record<string, Json>[] {
  const nodes = isContainer(doc) && !Array.isArray(doc) ? doc.nodes : undefined;
  return Array.isArray(nodes) ? (nodes.filter((n) => isContainer(n) && !Array.isArray(n)) as Record<string, Json>[]) : [];
}

function edgesOf(doc: Json): Record<string, Json>[] {
  const edges = isContainer(doc) && !Array.isArray(doc) ? doc.edges : undefined;
  return Array.isArray(edges) ? (edges.filter((e) => isContainer(e) && !Array.isArray(e)) as Record<string, Json>[]) : [];
}

const pick = <T>(items: readonly T[], at: number): T | undefined => (items.length ? items[at % items.length] : undefined);

/** Applies one mutation in place. */
export function applyMutation(doc: Json, m: Mutation): void {
  const all = containers(doc);
  const target = pick(all, m.at);
  if (!target) return;
  const keys = Object.keys(target);
  const key = pick(keys, m.at >> 3);
  const node = pick(nodesOf(doc), m.at);
  switch (m.op) {
    case "delete":
      if (key === undefined) return;
      if (Array.isArray(target)) target.splice(Number(key), 1);
      else delete target[key];
      return;
    case "duplicate":
      if (Array.isArray(target) && target.length) target.push(structuredClone(target[m.at % target.length]));
      return;
    case "retype":
      if (key !== undefined) setOwn(target, key, m.value);
      return;
    case "swap-kind":
      if (node) node.kind = m.flag ? NODE_KINDS[m.at % NODE_KINDS.length] : m.text;
      return;
    case "random-params":
      if (node) node.params = m.flag && isContainer(m.value) ? (m.value as Json) : { [m.text]: m.value as Json, ...(isContainer(node.params) ? node.params : {}) };
      return;
    case "break-edge": {
      const edge = pick(edgesOf(doc), m.at);
      const ids = nodesOf(doc).map((n) => n.id);
      if (edge) edge[m.flag ? "source" : "target"] = m.size % 3 === 0 ? m.text : (pick(ids, m.size) ?? null);
      return;
    }
    case "nest": {
      // Deep nesting, built without recursion; 1000 levels keeps later structuredClone calls of
      // this harness within the stack (the text tests go 100 000 deep).
      let v: Json = m.text;
      for (let i = 0; i < m.size % 1000; i++) v = m.flag ? [v] : { a: v };
      if (key !== undefined) setOwn(target, key, v);
      return;
    }
    case "long-string":
      // Up to ~100 000 characters: past the UDF limit, under the document limit.
      if (key !== undefined) setOwn(target, key, (m.text || "x").repeat(Math.ceil((1 + m.size * 25) / Math.max(1, m.text.length))));
      return;
    case "rename-id":
      if (node) node.id = m.flag ? m.text : `${String(node.id)}${m.text}`;
      return;
    case "add-key":
      setOwn(target, m.text, m.value);
      return;
    case "grow": {
      // Many nodes: copies of one node chained after it, optionally closed into a cycle.
      if (!node || !isContainer(doc) || Array.isArray(doc) || !Array.isArray(doc.nodes) || !Array.isArray(doc.edges)) return;
      const n = m.size % 120; // bigger graphs: the deterministic 3000-node case in fuzz.test.ts
      let prev = node.id;
      for (let i = 0; i < n; i++) {
        const id = `g${i}`;
        doc.nodes.push({ ...node, id }); // copies share params: a later edit changes them all, still a fine input
        doc.edges.push({ source: prev, target: id });
        prev = id;
      }
      if (m.flag && n > 1) doc.edges.push({ source: prev, target: "g0" });
      return;
    }
  }
}

/** A shipped document with 1-4 mutations applied, as a parsed value. */
export function mutatedDocument(docs: readonly { text: string }[]): fc.Arbitrary<Json> {
  return fc.tuple(fc.nat({ max: docs.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => {
    const doc = JSON.parse(docs[i].text) as Json;
    for (const m of ms) applyMutation(doc, m);
    return doc;
  });
}

/** Byte-level damage to a text: flip, insert, delete or duplicate a slice, or truncate. */
export function mutatedText(texts: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat(), len: fc.nat({ max: 40 }), kind: fc.nat({ max: 4 }), insert: trickyText });
  return fc.tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) => {
    let t = text;
    for (const e of edits) {
      const at = t.length ? e.at % t.length : 0;
      if (e.kind === 0) t = t.slice(0, at) + e.insert + t.slice(at);
      else if (e.kind === 1) t = t.slice(0, at) + t.slice(at + e.len);
      else if (e.kind === 2) t = t.slice(0, at) + t.slice(at, at + e.len).repeat(2) + t.slice(at);
      else if (e.kind === 3) t = t.slice(0, at) + String.fromCharCode((t.charCodeAt(at) ^ (1 << (e.len % 8))) & 0xffff) + t.slice(at + 1);
      else t = t.slice(0, at);
    }
    return t;
  });
}

/** Messages longer than this would flood the canvas; user text in them must be clipped. */
export const MAX_MESSAGE_LENGTH = 1000;

/**
 * The contract every checker keeps, whatever the input: diagnostics are data with a code from
 * the one list, the severity that code implies, and a short non-empty message and hint.
 * Returns a description of the first broken rule, or null.
 */
export function diagnosticProblem(ds: readonly Diagnostic[]): string | null {
  for (const d of ds) {
    if (!Object.hasOwn(DIAGNOSTIC_CODES, d.code)) return `unknown code ${JSON.stringify(d.code)}`;
    if (d.severity !== (d.code.startsWith("W_") ? "warning" : "error")) return `${d.code} has severity ${d.severity}`;
    if (typeof d.message !== "string" || d.message.trim() === "") return `${d.code} has no message`;
    if (d.message.length > MAX_MESSAGE_LENGTH) return `${d.code} message is ${d.message.length} characters: ${d.message.slice(0, 120)}…`;
    if (d.hint !== undefined && d.hint.length > MAX_MESSAGE_LENGTH) return `${d.code} hint is ${d.hint.length} characters`;
  }
  return null;
}
