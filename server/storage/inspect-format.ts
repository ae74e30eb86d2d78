// Human-readable output of `etl inspect PATH`: what a source holds before reading any data.
import type { SourceInfo } from "../pipeline/types";
import type { DatasetFacts } from "./parquet-dataset";

type PartitionFacts = Pick<DatasetFacts, "partitionCount" | "partitionValues">;

const MAX_VALUE_CHARS = 80;

/** 1234567 -> "1,234,567" (fixed locale so output is stable). */
export const thousands = (n: number) => n.toLocaleString("en-US");

/**
 * Bytes in binary units. Example: `humanBytes(192602418) // "183.7 MiB"`
 */
export function humanBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * The inspection report as plain text (no trailing newline). Pass datasetFacts()'s facts to
 * include partition directory counts and values, or a bare SourceInfo.
 * Example:
 *   formatInspection(facts, { marketplace: "US", ... })
 *   // path        /data/reviews
 *   // rows        2,000,000
 *   // size        183.7 MiB (192,602,418 bytes)
 *   // files       13
 *   // partitions  product_category (12 directories: Apparel, Beauty, ...)
 *   // schema (16 columns) ...table... sample row ...
 */
export function formatInspection(source: SourceInfo | DatasetFacts, sample: Record<string, unknown> | null): string {
  const info = "info" in source ? source.info : source;
  const parts = "info" in source ? source : undefined;
  const lines: string[] = [];
  const field = (k: string, v: string) => lines.push(`${k.padEnd(12)}${v}`);
  field("path", info.path);
  field("rows", info.numRows === null ? "unknown" : thousands(info.numRows));
  field("size", info.sizeBytes === null ? "unknown" : info.sizeBytes < 1024 ? `${info.sizeBytes} bytes` : `${humanBytes(info.sizeBytes)} (${thousands(info.sizeBytes)} bytes)`);
  field("files", info.files === null ? "unknown" : thousands(info.files));
  field("partitions", partitionsLine(info, parts));

  lines.push("", `schema (${info.schema.length} columns)`);
  const nameW = Math.max(4, ...info.schema.map((c) => c.name.length));
  const typeW = Math.max(4, ...info.schema.map((c) => c.type.length));
  lines.push(`  ${"#".padStart(3)}  ${"name".padEnd(nameW)}  ${"type".padEnd(typeW)}  nullable`);
  info.schema.forEach((c, i) => {
    const tag = info.partitionKeys.includes(c.name) ? "  (partition)" : "";
    lines.push(`  ${String(i + 1).padStart(3)}  ${c.name.padEnd(nameW)}  ${c.type.padEnd(typeW)}  ${c.nullable ? "yes" : "no"}${tag}`);
  });

  lines.push("");
  if (!sample) {
    lines.push("sample row  none (the source has no rows)");
  } else {
    lines.push("sample row (first row of the first file)");
    const keyW = Math.max(4, ...Object.keys(sample).map((k) => k.length));
    for (const [k, v] of Object.entries(sample)) lines.push(`  ${k.padEnd(keyW)}  ${showValue(v)}`);
  }
  return lines.join("\n");
}

function partitionsLine(info: SourceInfo, parts?: PartitionFacts): string {
  if (info.partitionKeys.length === 0) return "none";
  const keys = info.partitionKeys.join(", ");
  if (!parts) return keys;
  const dirs = `${thousands(parts.partitionCount)} ${parts.partitionCount === 1 ? "directory" : "directories"}`;
  const detail = info.partitionKeys.map((k) => {
    const vals = parts.partitionValues[k] ?? [];
    return `${k}: ${vals.join(", ")}${vals.length >= 20 ? ", ..." : ""}`;
  });
  return `${keys} (${dirs})\n${detail.map((d) => `${"".padEnd(12)}  ${d}`).join("\n")}`;
}

/** One value on one line: strings quoted and cut at 80 chars, newlines shown as \n. */
function showValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  const s = typeof v === "string" ? JSON.stringify(v) : typeof v === "object" ? JSON.stringify(v) : String(v);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}… (${thousands(s.length)} chars)` : s;
}
