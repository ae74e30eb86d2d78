// Test tool for the preview parity test (runtime/tests/integration/test_preview_parity.py):
// for every golden pipeline and every node in it, writes the preview module and the script of
// a real run of the same sub-graph (ending in a parquet sink), compiled with the real context
// of the dataset under --base. Identical preview modules are written once.
//   tsx server/preview/parity-cases.ts --base DIR --out DIR   -> DIR/manifest.json
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { compile, compilePreview, previewSubgraph } from "../compiler";
import { parseDocument } from "../pipeline";
import { gatherContext } from "../services/pipeline-context";

interface Case {
  golden: string;
  node: string;
  key: string;
  module: string;
  script: string;
  sinkPath: string;
  readPath: string;
  /** Keys of the last sort before the previewed rows whose columns survive: output must be in this order. */
  sortKeys: { column: string; descending: boolean }[] | null;
}

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`missing ${name}`);
  return path.resolve(process.argv[i + 1]);
}

async function main() {
  const base = arg("--base");
  const out = arg("--out");
  const golden = path.join(import.meta.dirname, "..", "compiler", "golden");
  fs.mkdirSync(out, { recursive: true });
  const cases: Case[] = [];
  const seen = new Map<string, Case>();
  for (const name of fs.readdirSync(golden).sort()) {
    const file = path.join(golden, name, "pipeline.json");
    if (!fs.existsSync(file)) continue;
    const doc = parseDocument(fs.readFileSync(file, "utf8")).doc;
    if (!doc) throw new Error(`${name}: does not parse`);
    const ctx = await gatherContext(doc, base);
    for (const node of doc.nodes) {
      const preview = compilePreview(doc, node.id, ctx);
      if (!preview.python || !preview.ir || !preview.read) {
        throw new Error(`${name}/${node.id}: no preview: ${JSON.stringify(preview.diagnostics.filter((d) => d.severity === "error"))}`);
      }
      const key = createHash("sha256").update(preview.python).digest("hex").slice(0, 16);
      const prior = seen.get(key);
      if (prior) {
        cases.push({ ...prior, golden: name, node: node.id });
        continue;
      }
      const sinkPath = path.join(out, "sinks", key);
      const sub = previewSubgraph(doc, node.id, sinkPath)!;
      const script = compile(sub.doc, ctx);
      if (!script.python) throw new Error(`${name}/${node.id}: sub-graph does not compile`);
      fs.writeFileSync(path.join(out, `preview_${key}.py`), preview.python);
      fs.writeFileSync(path.join(out, `script_${key}.py`), script.python);
      const c: Case = {
        golden: name,
        node: node.id,
        key,
        module: path.join(out, `preview_${key}.py`),
        script: path.join(out, `script_${key}.py`),
        sinkPath,
        readPath: preview.read.path,
        sortKeys: lastSortKeys(preview.ir.ops, sub.sinkId),
      };
      seen.set(key, c);
      cases.push(c);
    }
  }
  fs.writeFileSync(path.join(out, "manifest.json"), JSON.stringify(cases, null, 2));
  process.stdout.write(`${cases.length} cases, ${seen.size} distinct sub-graphs\n`);
}

function lastSortKeys(ops: NonNullable<ReturnType<typeof compilePreview>["ir"]>["ops"], sinkId: string): Case["sortKeys"] {
  const byId = new Map(ops.map((o) => [o.nodeId, o]));
  const sink = byId.get(sinkId);
  const present = new Set(sink?.schema.map((c) => c.name) ?? []);
  for (let cur = sink; cur; cur = cur.input === null ? undefined : byId.get(cur.input)) {
    if (cur.kind === "sort") {
      // Keys the rows still carry; a later Python column of the same name would break the check.
      const keys = cur.keys.filter((k) => present.has(k.column));
      return keys.length === cur.keys.length ? cur.keys.map((k) => ({ column: k.column, descending: k.descending })) : null;
    }
  }
  return null;
}

void main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
