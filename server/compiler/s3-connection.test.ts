// S3 connections in the compiled script: a node names its connection and nothing else — the
// settings and secrets reach the job through its runtime_env (server/connections/job-env.ts).
import { describe, expect, it } from "vitest";
import { PipelineDocumentSchema, type PipelineDocument } from "../pipeline/schema";
import { reviewsPipeline, reviewsSource } from "../pipeline/test-fixtures";
import { compile } from "./index";

const ctx = (connections?: string[]) => ({
  sources: { read: reviewsSource("s3://lake/reviews") },
  python: { keep: { ok: true as const }, flag: { ok: true as const } },
  ...(connections ? { connections } : {}),
});

function onS3(doc: PipelineDocument, connection = "lake\"; import os #"): PipelineDocument {
  return PipelineDocumentSchema.parse({
    ...doc,
    nodes: doc.nodes.map((n) =>
      n.kind === "read-parquet" ? { ...n, params: { ...n.params, path: "s3://lake/reviews", connection } }
        : n.kind === "write" ? { ...n, params: { ...n.params, path: "s3://lake/out/reviews", connection } } : n),
  });
}

describe("S3 connections in the script", () => {
  it("passes the connection by name, through the literal encoder, on the read and the write", () => {
    const out = compile(onS3(reviewsPipeline()), ctx());
    expect(out.diagnostics).toEqual([]);
    const py = out.python!;
    expect(py).toContain('filesystem=rt.filesystem("lake\\"; import os #")');
    expect(py).toMatch(/run\.write\([\s\S]*connection="lake\\"; import os #"/);
    expect(py).toContain("# [read] read-parquet 'reviews' from s3://lake/reviews (connection lake\"; import os #)");
  });

  it("emits no filesystem or connection argument for a node without a connection (goldens unchanged)", () => {
    const out = compile(reviewsPipeline(), { sources: { read: reviewsSource() }, python: { keep: { ok: true }, flag: { ok: true } } });
    expect(out.python).not.toContain("filesystem=");
    expect(out.python).not.toContain("connection=");
  });

  it("reports an unknown connection and a connection on a local path on the node", () => {
    const unknown = compile(onS3(reviewsPipeline(), "nope"), ctx(["lake"]));
    expect(unknown.python).toBeNull();
    expect(unknown.diagnostics.filter((d) => d.code === "E_CONNECTION_UNKNOWN").map((d) => [d.nodeId, d.field])).toEqual([["read", "connection"], ["out", "connection"]]);
    const local = PipelineDocumentSchema.parse({
      ...reviewsPipeline(),
      nodes: reviewsPipeline().nodes.map((n) => (n.kind === "write" ? { ...n, params: { ...n.params, connection: "lake" } } : n)),
    });
    const out = compile(local, { sources: { read: reviewsSource() }, python: { keep: { ok: true }, flag: { ok: true } } });
    expect(out.diagnostics.find((d) => d.code === "E_CONNECTION_NOT_S3")).toMatchObject({ nodeId: "out", field: "connection" });
  });
});
