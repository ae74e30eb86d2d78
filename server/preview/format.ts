// Plain-text rendering of a preview for the CLI (`etl preview FILE NODE`): a header saying what
// the rows are, then a table with names and types in its heading, nulls as "null", numbers
// right-aligned and long values cut.
import type { PreviewResult } from "./types";

const MAX_CELL = 40;

/** One cell as text: null -> "null", strings as they are (newlines escaped), others as JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "null";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  const flat = s.replace(/\r?\n/g, "\\n").replace(/\t/g, "\\t");
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

const NUMERIC = /^(u?int\d+|float\d+|decimal)$/;

/**
 * The preview as text (no trailing newline).
 * Example:
 *   formatPreview(result)
 *   // 3 sample rows after node sort (read 3 source rows; the source has more)
 *   // marketplace  total_votes
 *   // string             int32
 *   // -----------  -----------
 *   // US                   12
 */
export function formatPreview(r: PreviewResult): string {
  if (!r.ok) {
    const where = r.error.nodeId ? ` (node ${r.error.nodeId}${r.error.line ? `, line ${r.error.line}` : ""})` : "";
    const tb = r.error.traceback?.length ? `\n${r.error.traceback.join("\n")}` : "";
    return `preview of ${r.nodeId} failed: ${r.error.code}${where}: ${r.error.message}${tb}`;
  }
  const head =
    `${r.sampleRows} sample row${r.sampleRows === 1 ? "" : "s"} after node ${r.nodeId} ` +
    `(read ${r.sourceRowsRead} source row${r.sourceRowsRead === 1 ? "" : "s"}` +
    `${r.sourceTruncated ? "; the source has more" : ""}${r.outputRows > r.sampleRows ? `; ${r.outputRows} rows came out` : ""})` +
    `${r.cached ? " [cached]" : ""} in ${Math.round(r.ms)} ms`;
  const cells = r.rows.map((row) => row.map(cellText));
  const widths = r.columns.map((c, i) => Math.max(c.name.length, c.type.length, 4, ...cells.map((row) => row[i]?.length ?? 0)));
  const right = r.columns.map((c) => NUMERIC.test(c.type));
  const fmt = (vals: string[]) => vals.map((v, i) => (right[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ").trimEnd();
  const lines = [head, fmt(r.columns.map((c) => c.name)), fmt(r.columns.map((c) => c.type)), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const row of cells) lines.push(fmt(row));
  return lines.join("\n");
}
