// The tRPC endpoint over fetch (app/api/trpc/[trpc]/route.ts is a one-line wrapper): every
// request passes request-guard.ts first, and every refusal or failure is formatted by the one
// error formatter in trpc.ts. Router and context are parameters so tests send real requests.
import type { AnyTRPCRouter } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { requestLimits } from "../limits";
import { allowedHosts, checkRequest, limitBody } from "./request-guard";
import { appRouter } from "./root";
import { createContext as defaultContext, type Context } from "./trpc";

export interface TrpcHandlerOptions {
  /** The router to serve (default: the app's). */
  readonly router?: AnyTRPCRouter;
  /** The context per request (default: the app's database). */
  readonly createContext?: (req: Request) => Context | Promise<Context>;
  /** Largest request body in bytes (default: ETL_MAX_REQUEST_BYTES, see server/limits.ts). */
  readonly maxBodyBytes?: number;
  /** Host names the app answers to (default: loopback plus ETL_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly string[];
}

/**
 * A fetch handler for /api/trpc/*.
 * Example: const handle = createTrpcHandler(); const res = await handle(new Request("http://127.0.0.1:3000/api/trpc/health.check"));
 */
export function createTrpcHandler(opts: TrpcHandlerOptions = {}): (req: Request) => Promise<Response> {
  const maxBodyBytes = opts.maxBodyBytes ?? requestLimits().maxBodyBytes;
  const makeContext = opts.createContext ?? defaultContext;
  const hosts = opts.allowedHosts ?? allowedHosts();
  return (req) =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req: limitBody(req, maxBodyBytes),
      router: opts.router ?? appRouter,
      // Runs before any procedure; throwing here fails every call of the request, batches included.
      createContext: ({ req: seen }) => {
        const refused = checkRequest(seen, maxBodyBytes, hosts);
        if (refused) throw refused;
        return makeContext(seen);
      },
      // Procedures log their own internal errors (trpc.ts); a context that failed to build
      // (say, the database cannot be opened) is logged here, as the user only reads "see the log".
      onError: ({ error, ctx, path }) => {
        if (ctx === undefined && error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "request"} failed before it ran:`, error.cause ?? error);
      },
    });
}
