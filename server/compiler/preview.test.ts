// Preview modules: the sub-graph ending at a node, compiled like a run and emitted as a module
// whose per-node code is the run script's, byte for byte, except the read.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../pipeline";
import type { PipelineDocument } from "../pipeline/schema";
import { reviewsSource } from "../pipeline/test-fixtures";
import { compile, compilePreview, previewSubgraph, type CompileContext } from "./index";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const acceptance = (): PipelineDocument => parseDocument(fs.readFileSync(path.join(ROOT, "examples", "reviews.pipeline.json"), "utf8")).doc!;
const ctx: CompileContext = {
  sources: { read: reviewsSource("data/reviews") },
  python: { flag: { ok: true, reads: ["total_votes"] }, keep: { ok: true, reads: ["marketplace", "total_votes"] } },
};

/** The lines of `def build...` up to the end of the function, without the def line. */
function body(python: string, def: string): string[] {
  const lines = python.split("\n");
  const start = lines.findIndex((l) => l.startsWith(def));
  const end = lines.findIndex((l, i) => i > start && l !== "" && !l.startsWith(" "));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== "");
}

describe("previewSubgraph", () => {
  it("keeps the node and its ancestors, and feeds them to a synthetic parquet sink", () => {
    const sub = previewSubgraph(acceptance(), "sort")!;
    expect(sub.doc.nodes.map((n) => n.id)).toEqual(["read", "ratio", "drop", "sort", "preview_sink"]);
    expect(sub.doc.edges).toContainEqual({ source: "sort", target: "preview_sink" });
    expect(sub.upstream).toEqual(["read", "ratio", "drop", "sort"]);
    expect(sub.dataNode).toBe("sort");
  });

  it("previews a write as the rows reaching it", () => {
    const sub = previewSubgraph(acceptance(), "out")!;
    expect(sub.dataNode).toBe("keep");
    expect(sub.doc.nodes.map((n) => n.id)).not.toContain("out");
  });

  it("names the sink so it cannot collide with a node", () => {
    const doc = acceptance();
    doc.nodes[1] = { ...doc.nodes[1], id: "preview_sink" } as PipelineDocument["nodes"][number];
    doc.edges = doc.edges.map((e) => ({ source: e.source === "ratio" ? "preview_sink" : e.source, target: e.target === "ratio" ? "preview_sink" : e.target }));
    expect(previewSubgraph(doc, "drop")!.sinkId).toBe("preview_sink_2");
  });
});

describe("compilePreview", () => {
  it("emits build_preview(read_sample) with the run script's code for every node up to the node", () => {
    const doc = acceptance();
    for (const id of ["read", "ratio", "drop", "sort", "flag", "keep"]) {
      const preview = compilePreview(doc, id, ctx);
      expect(preview.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const script = compile(previewSubgraph(doc, id)!.doc, ctx).python!;
      const mod = body(preview.python!, "def build_preview(read_sample):");
      const all = body(script, "def build(run):");
      const sinkAt = all.findIndex((l) => l.startsWith("    # [preview_sink]"));
      const [run, sink] = [all.slice(0, sinkAt), all.slice(sinkAt).join("\n")];
      // Identical per-node blocks; only the read call and the ending differ.
      const read = (l: string) => l.includes("ray.data.read_parquet(") || l.includes("read_sample(");
      expect(mod.slice(0, -1).filter((l) => !read(l))).toEqual(run.filter((l) => !read(l)));
      expect(mod.find(read)).toBe('    ds_read = read_sample(rt.path("data/reviews"), partitioning=Partitioning("hive"))');
      expect(run.find(read)).toBe('    ds_read = ray.data.read_parquet(rt.path("data/reviews"), partitioning=Partitioning("hive"))');
      const written = /run\.write\(\s*(ds_\w+),/.exec(sink)![1];
      expect(mod.at(-1)).toBe(`    return ${written}`);
    }
  });

  it("returns the rows after the node even when a filter moved ahead of a sort", () => {
    const preview = compilePreview(acceptance(), "keep", ctx);
    // keep is hoisted before the sort and flag: the data after keep is what flag produces.
    expect(body(preview.python!, "def build_preview(").at(-1)).toBe("    return ds_flag");
    expect(preview.python).toContain('NODES = {\n    "read": "read-parquet",');
    expect(preview.python).toContain("PRESERVE_ORDER = True  # a sort feeds the preview");
  });

  it("reads only the columns the node's rows need", () => {
    expect(compilePreview(acceptance(), "ratio", ctx).read).toEqual({ nodeId: "read", path: "data/reviews", columns: null });
    expect(compilePreview(acceptance(), "drop", ctx).read?.columns).not.toContain("review_body");
  });

  it("is not blocked by errors downstream of the node, but is by errors upstream", () => {
    const doc = acceptance();
    const broken = { ...doc, nodes: doc.nodes.map((n) => (n.id === "sort" ? { ...n, params: { keys: [{ column: "nope", descending: false }] } } : n)) } as PipelineDocument;
    expect(compilePreview(broken, "drop", ctx).python).not.toBeNull();
    const after = compilePreview(broken, "flag", ctx);
    expect(after.python).toBeNull();
    expect(after.diagnostics.find((d) => d.severity === "error")?.nodeId).toBe("sort");
  });

  it("previews a node on a branch that leads to no sink", () => {
    const doc = acceptance();
    doc.nodes.push({ id: "side", kind: "sort", params: { keys: [{ column: "year", descending: false }] }, position: { x: 0, y: 200 } });
    doc.edges.push({ source: "ratio", target: "side" });
    const preview = compilePreview(doc, "side", ctx);
    expect(preview.python).toContain('ds_side = ds_ratio.sort(["year"], descending=[False])');
  });

  it("throws for a node that does not exist", () => {
    expect(() => compilePreview(acceptance(), "nope", ctx)).toThrow(RangeError);
  });

  it("emits valid Python", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-module-"));
    const files = ["read", "flag", "keep", "out"].map((id) => {
      const f = path.join(dir, `${id}.py`);
      fs.writeFileSync(f, compilePreview(acceptance(), id, ctx).python!);
      return f;
    });
    const r = spawnSync(path.join(ROOT, ".venv", "bin", "python"), ["-m", "py_compile", ...files], {
      encoding: "utf8", env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(dir, "pycache") },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
