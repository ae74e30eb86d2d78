// How a job gets its S3 connections: the names a pipeline uses, resolved server-side into the
// JSON etl_runtime/s3.py reads (keyed by name). The generated script only names connections.
//
// Ray logs every job's runtime_env, env_vars included, in its runtime_env agent log on each
// node, and returns it from its job API. So a job does not get the settings in clear: its
// runtime_env carries them SEALED (one-time pad: the JSON XOR as many random bytes), and the
// pad travels as a file of the job's working_dir package (never logged), which the driver reads
// once and deletes. The preview worker is a local process of the app: it gets the JSON itself.
import { randomBytes } from "node:crypto";
import type { PipelineDocument } from "../pipeline/schema";
import { AppError } from "../errors";
import type { ZipEntry } from "../runner/zip";
import type { Connections } from "./store";

/** Plain JSON (preview worker requests). */
export const S3_CONNECTIONS_ENV = "ETL_S3_CONNECTIONS";
/** Sealed JSON (base64) in a Ray job's runtime_env. */
export const S3_CONNECTIONS_SEALED_ENV = "ETL_S3_CONNECTIONS_SEALED";
/** The pad, base64, in the job's working_dir. */
export const S3_CONNECTIONS_KEY_FILE = "etl_connections.key";

/** Connection names used by read-parquet and write nodes, sorted. Example: ["lake"] */
export function connectionNames(doc: PipelineDocument): string[] {
  const names = new Set<string>();
  for (const n of doc.nodes) {
    if ((n.kind === "read-parquet" || n.kind === "write") && n.params.connection) names.add(n.params.connection);
  }
  return [...names].sort();
}

/**
 * { ETL_S3_CONNECTIONS: json } for the connections `doc` uses ({} without any). Holds secrets:
 * only for a local process's environment. Throws BAD_INPUT naming a connection that does not exist.
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

/** Example: unseal(seal("x")) === "x" (both halves are needed; either alone is random bytes). */
export function seal(json: string): { sealed: string; pad: string } {
  const plain = Buffer.from(json, "utf8");
  const pad = randomBytes(plain.length);
  const sealed = Buffer.alloc(plain.length);
  for (let i = 0; i < plain.length; i++) sealed[i] = plain[i] ^ pad[i];
  return { sealed: sealed.toString("base64"), pad: pad.toString("base64") };
}

export function unseal(sealed: string, pad: string): string {
  const a = Buffer.from(sealed, "base64");
  const b = Buffer.from(pad, "base64");
  if (a.length !== b.length) throw new Error("the sealed connections and their key do not match");
  return Buffer.from(a.map((x, i) => x ^ b[i])).toString("utf8");
}

/**
 * What a Ray job submission needs for the connections `doc` uses: runtime_env variables with
 * the sealed settings and the working_dir file with the pad ({} and [] without connections).
 */
export async function jobConnections(connections: Connections | null, doc: PipelineDocument): Promise<{ envVars: Record<string, string>; files: ZipEntry[] }> {
  const plain = (await jobEnv(connections, doc))[S3_CONNECTIONS_ENV];
  if (plain === undefined) return { envVars: {}, files: [] };
  const { sealed, pad } = seal(plain);
  return { envVars: { [S3_CONNECTIONS_SEALED_ENV]: sealed }, files: [{ name: S3_CONNECTIONS_KEY_FILE, data: Buffer.from(pad, "utf8") }] };
}
