// A small client for Ray's Jobs REST API (the dashboard's /api/jobs and /api/packages). No
// maintained JS client exists; endpoints follow Ray's published OpenAPI for job submission.
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";

/** Submitting starts a job supervisor actor: on a busy head that takes far longer than a GET. */
const SLOW_CALL_MS = 90_000;

interface SimpleResponse { readonly status: number; readonly ok: boolean; text(): Promise<string> }

export type RayJobStatus = "PENDING" | "RUNNING" | "STOPPED" | "SUCCEEDED" | "FAILED";
export const TERMINAL_STATUSES: readonly RayJobStatus[] = ["STOPPED", "SUCCEEDED", "FAILED"];

export interface RayJobInfo {
  readonly submission_id: string;
  readonly job_id: string | null;
  readonly status: RayJobStatus;
  readonly message: string | null;
  readonly error_type?: string | null;
  readonly start_time?: number | null;
  readonly end_time?: number | null;
  readonly metadata?: Record<string, string> | null;
}

export interface SubmitRequest {
  readonly entrypoint: string;
  readonly submissionId: string;
  readonly runtimeEnv?: { working_dir?: string; py_modules?: string[]; env_vars?: Record<string, string> };
  readonly metadata?: Record<string, string>;
  readonly entrypointNumCpus?: number;
}

const NET_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused: is Ray running?",
  ECONNRESET: "connection reset",
  ENOTFOUND: "unknown host",
  EHOSTUNREACH: "host unreachable",
  ETIMEDOUT: "timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

/** A socket error's message says little; its (or its cause's) system error code says more. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  if (cause.name === "TimeoutError") return "no answer in time";
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  const code = (cause as { code?: string }).code ?? inner?.code;
  if (code) return NET_REASONS[code] ?? code;
  return cause.message;
}

/** Raised for any failure to talk to Ray, with a message a user can act on, e.g.
 * "Ray is not reachable at http://127.0.0.1:8265 (connection refused: is Ray running?)". */
export class RayUnreachableError extends Error {
  constructor(readonly address: string, cause: unknown) {
    super(`Ray is not reachable at ${address} (${describeCause(cause)})`);
    this.name = "RayUnreachableError";
  }
}

export class RayJobsClient {
  /** `token`: Ray's auth token (RAY_AUTH_MODE=token clusters), sent as a bearer header; never logged. */
  constructor(readonly address: string, private readonly timeoutMs = 10_000, private readonly token?: string) {}

  /**
   * One HTTP request through node:http. Not fetch(): undici adds `Sec-Fetch-Mode` headers and
   * Ray's dashboard refuses PUT/POST it takes for browser traffic.
   */
  private request(method: string, path: string, body?: Uint8Array | string, contentType?: string, timeoutMs = this.timeoutMs): Promise<SimpleResponse> {
    const url = new URL(this.address.replace(/\/+$/, "") + path);
    const mod = url.protocol === "https:" ? https : http;
    const headers: Record<string, string | number> = { "user-agent": "ray-etl-designer" };
    if (contentType) headers["content-type"] = contentType;
    if (body !== undefined) headers["content-length"] = Buffer.byteLength(body);
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, text: async () => text });
        });
        res.on("error", (e) => reject(new RayUnreachableError(this.address, e)));
      });
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
      req.on("error", (e) => reject(new RayUnreachableError(this.address, e)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  private async json<T>(method: string, path: string, payload?: unknown, timeoutMs?: number): Promise<T> {
    const res = await this.request(method, path, payload === undefined ? undefined : JSON.stringify(payload), "application/json", timeoutMs);
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new RayUnreachableError(this.address, new Error(`Ray refused our credentials (${res.status}); set RAY_AUTH_TOKEN`));
    if (!res.ok) throw new Error(`Ray ${method} ${path} failed (${res.status}): ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Ray's version, e.g. `{ ray_version: "2.60.0" }`; throws RayUnreachableError when down. */
  version(): Promise<{ ray_version: string; version: string }> {
    return this.json("GET", "/api/version");
  }

  async isUp(): Promise<boolean> {
    try {
      await this.version();
      return true;
    } catch {
      return false;
    }
  }

  /** Uploads a zip package unless the cluster already has it; returns its `gcs://` URI. */
  async uploadPackage(zip: Buffer): Promise<string> {
    const name = `_ray_pkg_${createHash("sha256").update(zip).digest("hex").slice(0, 32)}.zip`;
    const head = await this.request("GET", `/api/packages/gcs/${name}`);
    if (head.status !== 200) {
      const put = await this.request("PUT", `/api/packages/gcs/${name}`, zip, "application/octet-stream", SLOW_CALL_MS);
      if (!put.ok) throw new Error(`Uploading the job package failed (${put.status}): ${(await put.text()).slice(0, 500)}`);
    }
    return `gcs://${name}`;
  }

  submit(req: SubmitRequest): Promise<{ submission_id: string; job_id?: string }> {
    return this.json("POST", "/api/jobs/", {
      entrypoint: req.entrypoint,
      submission_id: req.submissionId,
      runtime_env: req.runtimeEnv,
      metadata: req.metadata,
      entrypoint_num_cpus: req.entrypointNumCpus,
    }, SLOW_CALL_MS);
  }

  /** The job, or null when Ray does not know this submission id. */
  async get(submissionId: string): Promise<RayJobInfo | null> {
    const res = await this.request("GET", `/api/jobs/${encodeURIComponent(submissionId)}`);
    if (res.status === 404) return null;
    const text = await res.text();
    if (!res.ok) throw new Error(`Ray GET job failed (${res.status}): ${text.slice(0, 500)}`);
    return JSON.parse(text) as RayJobInfo;
  }

  async logs(submissionId: string): Promise<string> {
    const r = await this.json<{ logs: string }>("GET", `/api/jobs/${encodeURIComponent(submissionId)}/logs`);
    return r.logs ?? "";
  }

  async stop(submissionId: string): Promise<boolean> {
    const r = await this.json<{ stopped: boolean }>("POST", `/api/jobs/${encodeURIComponent(submissionId)}/stop`);
    return r.stopped;
  }
}
