// read-parquet: a source. Its schema comes from the parquet footers (looked up by the server
// and passed in ctx.sources), hive partition columns included, optionally narrowed to `columns`.
import { diag, type Diagnostic } from "../diagnostics";
import { ReadParquetParamsSchema } from "../schema";
import { clip } from "../suggest";
import { checkColumnList, checkConnection, oneLine } from "./common";
import { lookup, type NodeKindSpec } from "./spec";

export const readParquet: NodeKindSpec<"read-parquet"> = {
  kind: "read-parquet",
  label: "Read parquet",
  category: "source",
  description: "Reads a parquet file, directory or glob (local or s3://), including hive partition columns.",
  defaults: () => ReadParquetParamsSchema.parse({}),
  summary: (p) => {
    const path = p.path.trim() === "" ? "(no path)" : p.path;
    return oneLine(p.columns === null ? path : `${path} (${p.columns.length} column${p.columns.length === 1 ? "" : "s"})`);
  },
  outputSchema(node, _input, ctx) {
    const p = node.params;
    const diagnostics: Diagnostic[] = [];
    if (p.path.trim() === "") {
      diagnostics.push(diag("E_PATH_MISSING", "Choose the parquet file or folder to read", { nodeId: node.id, field: "path" }));
    }
    const connectionProblems = checkConnection(node.id, p.path, p.connection, ctx);
    diagnostics.push(...connectionProblems);
    if (p.columns !== null && p.columns.length === 0) {
      diagnostics.push(diag("E_READ_COLUMNS_EMPTY", "No columns are selected", {
        nodeId: node.id, field: "columns", hint: "Select at least one column, or clear the selection to read all",
      }));
    }
    const source = p.path.trim() === "" || connectionProblems.length ? undefined : lookup(ctx.sources, node.id);
    if (source === undefined) {
      diagnostics.push(...checkColumnList(node.id, p.columns ?? [], null, (i) => `columns.${i}`));
      return { schema: null, diagnostics };
    }
    if (!source.ok) {
      diagnostics.push(diag(source.code, `Cannot read '${clip(p.path)}': ${source.message}`, { nodeId: node.id, field: "path" }));
      return { schema: null, diagnostics };
    }
    const all = source.info.schema;
    if (p.columns === null) return { schema: all, diagnostics };
    diagnostics.push(...checkColumnList(node.id, p.columns, all, (i) => `columns.${i}`));
    const wanted = new Set(p.columns);
    // Columns come out in file order, as Ray's read_parquet(columns=...) returns them.
    return { schema: all.filter((c) => wanted.has(c.name)), diagnostics };
  },
};
