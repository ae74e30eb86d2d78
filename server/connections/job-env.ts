// How a job gets its S3 connections: the names a pipeline uses, resolved server-side into ONE
// runtime_env variable, ETL_S3_CONNECTIONS (JSON keyed by name), read by etl_runtime/s3.py.
// The generated script only ever names a connection; this value exists only in the submit request.
import type { PipelineDocument } from "../pipeline/schema";
import { AppError } from "../errors";
import type { Connections } from "./store";

export const S3_CONNECTIONS_ENV = "ETL_S3_CONNECTIONS";

/** Connection names used by read-parquet and write nodes, sorted. Example: ["lake"] */
export function connectionNames(doc: PipelineDocument): string[] {
  const names = new Set<string>();
  for (const n of doc.nodes) {
    if ((n.kind === "read-parquet" || n.kind === "write") && n.params.connection) names.add(n.params.connection);
  }
  return [...names].sort();
}

/**
 * The env_vars a job of `doc` needs: {} without connections, else { ETL_S3_CONNECTIONS: json }.
 * Throws BAD_INPUT naming a connection that no longer exists.
 */
export async function jobEnv(connections: Connections | null, doc: PipelineDocument): Promise<Record<string, string>> {
  const names = connectionNames(doc);
  if (names.length === 0) return {};
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const s = connections ? await connections.settings(name) : null;
    if (!s) throw new AppError("BAD_INPUT", { userMessage: `The pipeline uses S3 connection '${name}', which does not exist` });
    out[name] = {
      region: s.region, endpoint: s.endpoint, pathStyle: s.pathStyle,
      ...(s.credentials ? { accessKeyId: s.credentials.accessKeyId, secretAccessKey: s.credentials.secretAccessKey, sessionToken: s.credentials.sessionToken ?? null } : {}),
    };
  }
  return { [S3_CONNECTIONS_ENV]: JSON.stringify(out) };
}
