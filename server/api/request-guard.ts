// Checks every tRPC request passes before any procedure runs: a known Host (DNS rebinding), a
// body size limit, JSON only for POSTs, and no state-changing request from another site (CSRF).
// Refusals are AppErrors wrapped for tRPC, so they reach the client through the one error
// formatter like any failed call.
import { TRPCError } from "@trpc/server";
import { APP_ERROR_CODES, AppError } from "../errors";
import { formatBytes, PIPELINE_LIMITS } from "../pipeline/limits";

/** An AppError as the TRPCError tRPC expects from createContext or a body read. */
export function refusal(code: "REQUEST_TOO_LARGE" | "NOT_JSON" | "CROSS_SITE" | "UNKNOWN_HOST", userMessage: string): TRPCError {
  const cause = new AppError(code, { userMessage });
  return new TRPCError({ code: APP_ERROR_CODES[code], message: userMessage, cause });
}

const tooLarge = (max: number) =>
  refusal("REQUEST_TOO_LARGE", `The request is larger than the server accepts (${formatBytes(max)}); a pipeline may be at most ${formatBytes(PIPELINE_LIMITS.maxDocumentBytes)}`);

/**
 * Why a request must be refused, or null. Every request must name a known host (see knownHost)
 * and fit the body limit. Safe methods (GET: queries and subscriptions) then pass: they change
 * nothing and, without CORS headers, another site cannot read their answers. A POST must be
 * JSON — an HTML form cannot send `content-type: application/json`, and multipart/octet-stream
 * bodies (which tRPC would otherwise accept) are not used by the app — and must not come from
 * another site: `Sec-Fetch-Site` (sent by every current browser) must be same-origin or none;
 * without it, an `Origin` must name the host the request was sent to. Clients that are not
 * browsers (the CLI, tests, the bench) send neither header and pass.
 * Example: checkRequest(new Request("http://127.0.0.1:3000/api/trpc/x", { method: "POST",
 *   headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" } }), 1e7)?.code === "FORBIDDEN"
 */
export function checkRequest(req: Request, maxBodyBytes: number, allowedHosts: readonly string[] = LOOPBACK): TRPCError | null {
  if (!knownHost(req, allowedHosts)) {
    return refusal("UNKNOWN_HOST", "This server does not answer to that host name; add it to ETL_ALLOWED_HOSTS if you reach the app through it");
  }
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length > maxBodyBytes) return tooLarge(maxBodyBytes);
  if (req.method === "GET" || req.method === "HEAD") return null;

  const type = req.headers.get("content-type")?.split(";", 1)[0].trim().toLowerCase();
  if (type !== "application/json") {
    return refusal("NOT_JSON", `The API accepts JSON only: send the body with content-type: application/json${type ? ` (got ${type.slice(0, 60)})` : ""}`);
  }
  // Sec-Fetch-Site, when sent, decides: browsers set it and pages cannot forge it, while Origin
  // can read "null" on same-origin requests under some referrer policies. same-site is refused
  // too: other apps on this machine (Ray's dashboard on another port of 127.0.0.1) are same-site.
  const site = req.headers.get("sec-fetch-site");
  const crossSite = site !== null ? site !== "same-origin" && site !== "none" : !sameHost(req.headers.get("origin"), req);
  if (crossSite) return refusal("CROSS_SITE", "Requests from other sites are refused: use the app itself, or call the API without a browser");
  return null;
}

/** Names the app answers to by default: it binds to loopback (server/main.ts). */
export const LOOPBACK: readonly string[] = ["127.0.0.1", "localhost", "[::1]"];

/** ETL_ALLOWED_HOSTS ("etl.example.com, etl:8080") added to the loopback names. */
export function allowedHosts(source: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const extra = (source.ETL_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  return [...LOOPBACK, ...extra];
}

/**
 * Is the Host header one the app answers to? A page on evil.example whose DNS name is re-pointed
 * at 127.0.0.1 (DNS rebinding) is same-origin with itself, so Origin checks pass; only the Host
 * it sends (evil.example:3000) gives it away. Entries without a port match any port.
 */
function knownHost(req: Request, allowed: readonly string[]): boolean {
  const host = (req.headers.get("host") ?? new URL(req.url).host).toLowerCase();
  const name = host.replace(/:\d+$/, "");
  return allowed.some((a) => a === host || a === name);
}

/** Does `origin` (absent: not a browser) name the host this request was sent to, directly or as the proxy in front saw it? */
function sameHost(origin: string | null, req: Request): boolean {
  if (origin === null) return true;
  let host: string;
  try {
    host = new URL(origin).host; // "null" (sandboxed frames, file://) throws: refused
  } catch {
    return false;
  }
  // A page cannot set X-Forwarded-Host on a cross-origin request without a CORS preflight we
  // never answer, so trusting it here lets a reverse proxy keep its own Host header.
  const seen = [req.headers.get("x-forwarded-host"), req.headers.get("host"), new URL(req.url).host];
  return seen.some((h) => h !== null && h.toLowerCase() === host.toLowerCase());
}

/**
 * The request with its body counted as it streams: past `maxBodyBytes` reading fails with
 * REQUEST_TOO_LARGE, so a body without (or lying about) content-length is cut off too.
 */
export function limitBody(req: Request, maxBodyBytes: number): Request {
  if (req.body === null) return req;
  let seen = 0;
  const counted = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBodyBytes) controller.error(tooLarge(maxBodyBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req.url, { method: req.method, headers: req.headers, body: counted, signal: req.signal, duplex: "half" } as RequestInit);
}
