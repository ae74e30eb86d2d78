// Document-wide path checks: two writes to the same (or nested) path, and writes that would
// replace or land inside data a read-parquet node reads. Paths are compared after normalising.
import { diag, type Diagnostic } from "./diagnostics";
import type { PipelineDocument } from "./schema";
import { clip, idList } from "./suggest";

/**
 * A comparable form of a path: trimmed, scheme lower-cased, "file://" dropped, repeated and
 * trailing slashes removed, "." and ".." segments resolved.
 * Example: normalizePath("./out//reviews/../reviews/") === "out/reviews"; normalizePath("S3://b/x/") === "s3://b/x"
 */
export function normalizePath(path: string): string {
  let p = path.trim();
  let prefix = "";
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(p);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    p = p.slice(scheme[0].length);
    if (name !== "file") prefix = `${name}://`;
    else if (!p.startsWith("/")) p = "/" + p;
  }
  const absolute = prefix === "" && p.startsWith("/");
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else if (seg === ".." && absolute) continue;
    else parts.push(seg);
  }
  return prefix + (absolute ? "/" : "") + parts.join("/");
}

/** The path and every proper ancestor, longest first. Example: ancestry("a/b/c") -> ["a/b/c", "a/b", "a"] */
function ancestry(path: string): string[] {
  const out = [path];
  for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
    const parent = path.slice(0, i);
    if (parent.endsWith(":/") || parent.endsWith(":")) break; // stop at "s3://"
    out.push(parent);
  }
  return out;
}

const GLOB = /[*?[{]/;

/**
 * E_WRITE_PATH_CONFLICT for every write whose target equals or nests with another write's, or
 * equals, contains or lies inside a path some read-parquet node reads.
 * Example: writes 'a' and 'b' both to "out/x" -> two diagnostics, one per write.
 */
export function checkWritePathConflicts(doc: PipelineDocument): Diagnostic[] {
  const writes = new Map<string, string[]>(); // normalized path -> write ids
  const reads = new Map<string, string[]>(); // normalized path (glob: its folder) -> read ids
  const globReads = new Set<string>();
  for (const n of doc.nodes) {
    const raw = n.kind === "write" || n.kind === "read-parquet" ? n.params.path : "";
    if (raw.trim() === "") continue;
    if (n.kind === "write") push(writes, normalizePath(raw), n.id);
    if (n.kind === "read-parquet") {
      const norm = normalizePath(raw);
      const segments = norm.split("/");
      const firstGlob = segments.findIndex((s) => GLOB.test(s));
      const base = firstGlob < 0 ? norm : segments.slice(0, firstGlob).join("/");
      push(reads, base, n.id);
      if (firstGlob >= 0) globReads.add(base);
    }
  }
  const problems = new Map<string, string>(); // write id -> first message
  const report = (id: string, message: string) => {
    if (!problems.has(id)) problems.set(id, message);
  };
  for (const [path, ids] of writes) {
    const shown = clip(path);
    if (ids.length > 1) {
      for (const id of ids) report(id, `Writes ${idList(ids, (x) => `'${x}'`)} all target '${shown}'`);
    }
    for (const parent of ancestry(path).slice(1)) {
      for (const other of writes.get(parent) ?? []) {
        for (const id of ids) report(id, `Write '${id}' targets '${shown}', inside the output of write '${other}'`);
        report(other, `Write '${other}' targets '${clip(parent)}', which contains the output of write '${ids[0]}'`);
      }
    }
    for (const [i, anc] of ancestry(path).entries()) {
      if (globReads.has(anc) && i > 0) continue; // a glob reads matching files only, not the folders below
      for (const reader of reads.get(anc) ?? []) {
        const how = i === 0 ? "is the path" : "is inside the folder";
        for (const id of ids) report(id, `Write '${id}' target '${shown}' ${how} read by '${reader}'`);
      }
    }
  }
  // A write that replaces a folder containing a read's input.
  for (const [path, readers] of reads) {
    for (const anc of ancestry(path).slice(1)) {
      for (const id of writes.get(anc) ?? []) report(id, `Write '${id}' target '${clip(anc)}' contains the data read by '${readers[0]}'`);
    }
  }
  return [...problems].map(([nodeId, message]) =>
    diag("E_WRITE_PATH_CONFLICT", message, { nodeId, field: "path", hint: "Write each output to its own path, away from the inputs" }));
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
