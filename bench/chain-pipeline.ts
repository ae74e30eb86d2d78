// A large synthetic pipeline for benchmarks: one read, then N-2 transforms cycling through
// expression columns, drops and sorts, then a write.
import { SCHEMA_VERSION, type PipelineDocument, type PipelineNode } from "../server/pipeline/schema";

export function chainPipeline(n: number): PipelineDocument {
  const nodes: PipelineNode[] = [
    { id: "read", kind: "read-parquet", position: { x: 0, y: 0 }, params: { path: "data/reviews", columns: null } },
  ];
  for (let i = 1; i < n - 1; i++) {
    const position = { x: i * 200, y: 0 };
    const id = `n${i}`;
    if (i % 10 === 5) nodes.push({ id, kind: "sort", position, params: { keys: [{ column: "total_votes", descending: i % 20 === 5 }] } });
    else
      nodes.push({
        id,
        kind: "add-column",
        position,
        params: {
          column: `c${i}`,
          mode: "expression",
          expression: i % 3 === 0 ? `helpful_votes * ${i} + total_votes` : i % 3 === 1 ? `if(total_votes > ${i}, 'hot', lower(marketplace))` : `round(helpful_votes / total_votes, 2)`,
          source: "",
          outputType: "float64",
          compute: { strategy: "tasks", minSize: 1, maxSize: 2 },
          batchSize: null,
        },
      });
  }
  nodes.push({ id: "out", kind: "write", position: { x: n * 200, y: 0 }, params: { path: "out/chain", format: "parquet", mode: "overwrite" } });
  const edges = nodes.slice(1).map((node, i) => ({ source: nodes[i].id, target: node.id }));
  return { schemaVersion: SCHEMA_VERSION, id: "chain", name: `Chain of ${n}`, nodes, edges };
}
