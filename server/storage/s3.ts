// S3 (and S3-compatible stores) through @aws-sdk/client-s3: clients from connection settings,
// errors mapped to what a user can act on, bucket/prefix browsing, and the dataset listing a
// parquet source needs (same rules as the local listing: *.parquet, hidden "."/"_" skipped).
import {
  GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client, type _Object,
} from "@aws-sdk/client-s3";
import { sourceError, type DatasetFile, type FileListing } from "./file-listing";

/** What a client needs; credentials null = the environment's default chain. Holds secrets: never log or return it. */
export interface S3Settings {
  readonly region: string;
  readonly endpoint: string | null;
  readonly pathStyle: boolean;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string | null } | null;
}

export type S3ErrorCode = "S3_BAD_CREDENTIALS" | "S3_NO_SUCH_BUCKET" | "S3_ACCESS_DENIED" | "S3_UNREACHABLE" | "S3_ERROR";

/** An S3 failure with a stable code and a message safe to show (no request ids, no secrets). */
export class S3Failure extends Error {
  constructor(readonly code: S3ErrorCode, message: string) {
    super(message);
    this.name = "S3Failure";
  }
}

/**
 * Maps an SDK error to an S3Failure. Example: an InvalidAccessKeyId error ->
 * S3Failure("S3_BAD_CREDENTIALS", "The access key id is not known to the S3 server (wrong credentials)")
 */
export function s3Failure(e: unknown, what: string): S3Failure {
  if (e instanceof S3Failure) return e;
  const err = e as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err?.name ?? err?.Code ?? "";
  const status = err?.$metadata?.httpStatusCode;
  if (name === "InvalidAccessKeyId") return new S3Failure("S3_BAD_CREDENTIALS", `The access key id is not known to the S3 server (wrong credentials) while ${what}`);
  if (name === "SignatureDoesNotMatch") return new S3Failure("S3_BAD_CREDENTIALS", `The secret access key is wrong (the request signature does not match) while ${what}`);
  if (name === "InvalidToken" || name === "ExpiredToken") return new S3Failure("S3_BAD_CREDENTIALS", `The session token is invalid or expired while ${what}`);
  if (name === "CredentialsProviderError") return new S3Failure("S3_BAD_CREDENTIALS", `No credentials found in the environment's default chain while ${what}`);
  if (name === "NoSuchBucket") return new S3Failure("S3_NO_SUCH_BUCKET", `The bucket does not exist (${what})`);
  if (name === "AccessDenied" || status === 403) return new S3Failure("S3_ACCESS_DENIED", `Access denied while ${what}`);
  const code = err?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "EHOSTUNREACH" || name === "TimeoutError") {
    return new S3Failure("S3_UNREACHABLE", `The S3 endpoint is not reachable (${code ?? name}) while ${what}`);
  }
  return new S3Failure("S3_ERROR", `S3 error while ${what}: ${name || "Error"}${err?.message ? ` — ${err.message.split("\n")[0].slice(0, 200)}` : ""}`);
}

// The pinned SDK runs on Node 20 (package.json engines); its notice about future releases
// needing Node 22 would otherwise land in every CLI command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** A client for one connection; fails fast (2 attempts, short timeouts) so a form or a node answers quickly. */
export function s3Client(s: S3Settings): S3Client {
  return new S3Client({
    region: s.region || "us-east-1",
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.pathStyle,
    ...(s.credentials ? { credentials: { accessKeyId: s.credentials.accessKeyId, secretAccessKey: s.credentials.secretAccessKey, ...(s.credentials.sessionToken ? { sessionToken: s.credentials.sessionToken } : {}) } } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000 },
  });
}

/** `s3://bucket/a/b` -> { bucket: "bucket", key: "a/b" } (key without a leading slash). Null if not an S3 URI. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | null {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/i.exec(uri.trim());
  return m ? { bucket: m[1], key: m[2] } : null;
}

/** Every key under `prefix` (paginated). */
export async function listAll(client: S3Client, bucket: string, prefix: string): Promise<_Object[]> {
  const out: _Object[] = [];
  let token: string | undefined;
  do {
    const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    out.push(...(r.Contents ?? []));
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return out;
}

export interface BrowseResult {
  readonly buckets: readonly string[] | null;
  /** Sub-prefixes, ending with "/" (e.g. "reviews/") */
  readonly prefixes: readonly string[];
  readonly objects: readonly { readonly key: string; readonly size: number }[];
  /** Some keys here end in .parquet: this prefix can be read as a dataset. */
  readonly parquetHere: boolean;
}

/**
 * One level of the object browser: the buckets (bucket ""), or the prefixes and objects right
 * under `prefix` of `bucket`. Example: browse(c, "lake", "reviews/") -> { prefixes: ["reviews/product_category=Books/"], ... }
 */
export async function browse(s: S3Settings, bucket: string, prefix: string, limit = 500): Promise<BrowseResult> {
  const client = s3Client(s);
  try {
    if (!bucket) {
      const r = await client.send(new ListBucketsCommand({})).catch((e) => { throw s3Failure(e, "listing buckets"); });
      return { buckets: (r.Buckets ?? []).map((b) => b.Name ?? "").filter(Boolean).sort(), prefixes: [], objects: [], parquetHere: false };
    }
    const p = prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix;
    const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: p, Delimiter: "/", MaxKeys: limit }))
      .catch((e) => { throw s3Failure(e, `listing s3://${bucket}/${p}`); });
    const objects = (r.Contents ?? []).filter((o) => o.Key && o.Key !== p).map((o) => ({ key: o.Key!, size: Number(o.Size ?? 0) }));
    const prefixes = (r.CommonPrefixes ?? []).map((c) => c.Prefix ?? "").filter(Boolean);
    const nested = prefixes.some((x) => /\/[^/=]+=[^/]*\/$/.test(x)); // hive partitions below
    return { buckets: null, prefixes, objects, parquetHere: nested || objects.some((o) => o.key.endsWith(".parquet")) };
  } finally {
    client.destroy();
  }
}

/**
 * The parquet files of an s3:// source, like listParquetFiles for local paths: a key that is
 * an object is that one file; otherwise every *.parquet key under `<key>/`, hidden ones
 * skipped, sorted. File paths are `s3://bucket/key`; mtimeMs is LastModified (cache key).
 */
export async function listS3ParquetFiles(client: S3Client, uri: string): Promise<FileListing> {
  const parsed = parseS3Uri(uri);
  if (!parsed || !parsed.bucket) return sourceError("E_SOURCE_NOT_FOUND", `Not an s3://bucket/key path: ${uri}`);
  const { bucket } = parsed;
  const key = parsed.key.replace(/\/+$/, "");
  if (/[*?[]/.test(key)) return sourceError("E_SOURCE_UNREADABLE", `Globs are not supported on s3:// paths: ${uri}`);
  const root = `s3://${bucket}/${key}`;
  const dir = key ? `${key}/` : "";
  let listed: _Object[];
  try {
    listed = await listAll(client, bucket, dir);
  } catch (e) {
    const f = s3Failure(e, `listing ${uri}`);
    return sourceError(f.code === "S3_NO_SUCH_BUCKET" ? "E_SOURCE_NOT_FOUND" : "E_SOURCE_UNREADABLE",
      f.code === "S3_NO_SUCH_BUCKET" ? `Bucket '${bucket}' does not exist` : f.message);
  }
  const file = (o: _Object): DatasetFile => ({ path: `s3://${bucket}/${o.Key}`, size: Number(o.Size ?? 0), mtimeMs: o.LastModified?.getTime() ?? 0 });
  if (listed.length === 0 && key) {
    try {
      const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { ok: true, root, kind: "file", files: [{ path: root, size: Number(h.ContentLength ?? 0), mtimeMs: h.LastModified?.getTime() ?? 0 }] };
    } catch (e) {
      const f = s3Failure(e, `reading ${uri}`);
      if (f.code === "S3_ERROR" || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return sourceError("E_SOURCE_NOT_FOUND", `No object or prefix ${uri}`);
      }
      return sourceError("E_SOURCE_UNREADABLE", f.message);
    }
  }
  const files = listed
    .filter((o) => o.Key && !o.Key.endsWith("/"))
    .filter((o) => { const rel = o.Key!.slice(dir.length); return !rel.startsWith(".") && !rel.startsWith("_") && rel.endsWith(".parquet"); })
    .map(file)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (files.length === 0) return sourceError("E_SOURCE_UNREADABLE", `No .parquet objects under ${uri}`);
  return { ok: true, root, kind: "dir", files };
}

/** Bytes [start, end) of an object through one ranged GET (a footer read never fetches data pages). */
export async function getRange(client: S3Client, uri: string, start: number, end: number): Promise<Uint8Array> {
  const p = parseS3Uri(uri)!;
  const r = await client.send(new GetObjectCommand({ Bucket: p.bucket, Key: p.key, Range: `bytes=${start}-${end - 1}` }))
    .catch((e) => { throw s3Failure(e, `reading ${uri}`); });
  return r.Body!.transformToByteArray();
}
