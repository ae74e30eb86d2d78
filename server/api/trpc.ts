// tRPC initialisation: context, the one error formatter, and procedure builders. Routers stay
// thin: validate input and output with zod, call into server/ modules.
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { db, type Db } from "../db";
import { AppError, APP_ERROR_CODES } from "../errors";
import { dbBusyError, isDbBusy } from "../db/busy";
import { LOCAL_ACTOR, roleAtLeast, type Actor } from "../auth/actor";
import { requestActor } from "../auth/session";
import { requiredRole } from "./access";
import { processLimiters, RATE_LIMITED_PATHS, rateLimitMessage } from "./rate-limit";

export interface Context {
  readonly db: Db;
  /** Who is calling; null = not signed in (sign-in on and no valid session). */
  readonly actor: Actor | null;
}

/** The context of the CLI, tests and single-user mode: the local admin. */
export function localContext(database: Db = db()): Context {
  return { db: database, actor: LOCAL_ACTOR };
}

/**
 * The context of an HTTP request: the local admin with sign-in off; with it on, the signed-in
 * user of the request's session cookie, or null (procedures then answer UNAUTHORIZED).
 */
export async function createContext(req?: Request): Promise<Context> {
  const database = db();
  return { db: database, actor: await requestActor(req?.headers ?? new Headers(), database) };
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const app = cause instanceof AppError ? cause : null;
    const zod = cause instanceof ZodError ? cause : null;
    const internal = !app && !zod && error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // Never leak stack traces or internal messages.
      message: app ? app.userMessage : internal ? "Something went wrong on the server; see the server log." : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        appCode: app?.code ?? null,
        diagnostics: app?.diagnostics ?? null,
        fieldErrors: zod ? zod.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : null,
      },
    };
  },
});

/** Maps AppError to the matching tRPC code, logging what the user does not see. */
const appErrors = t.middleware(async ({ next, path }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (cause instanceof AppError) {
      res.error = new TRPCError({ code: APP_ERROR_CODES[cause.code], message: cause.userMessage, cause });
    } else if (isDbBusy(cause)) {
      const busy = dbBusyError(cause);
      console.warn(`[trpc] ${path}: ${busy.message}`);
      res.error = new TRPCError({ code: APP_ERROR_CODES[busy.code], message: busy.userMessage, cause: busy });
    } else if (res.error.code === "INTERNAL_SERVER_ERROR") {
      console.error(`[trpc] ${path} failed:`, res.error.cause ?? res.error);
    }
  }
  return res;
});

/**
 * Who may call: the least role of `path` in server/api/access.ts. Runs before input parsing, so
 * a refused caller learns nothing about valid input and nothing is touched. Undeclared paths are
 * refused (deny by default) and logged; no path accepts an anonymous caller.
 */
const authorize = t.middleware(({ ctx, path, next }) => {
  const need = requiredRole(path);
  if (!need) {
    console.error(`[access] ${path} has no role in server/api/access.ts; refused`);
    throw new AppError("E_FORBIDDEN", { userMessage: `'${path}' is not open to anyone` });
  }
  const actor = ctx.actor;
  if (!actor) throw new AppError("E_UNAUTHENTICATED", { userMessage: "Sign in to continue" });
  if (!roleAtLeast(actor.role, need)) {
    throw new AppError("E_FORBIDDEN", { userMessage: `This needs the ${need} role (you are ${actor.role}); ask an admin` });
  }
  const kind = RATE_LIMITED_PATHS[path];
  // Limits share a cluster fairly between signed-in users; the one local user of single-user
  // mode (and the CLI, which has the database anyway) is not throttled against itself.
  if (kind && actor.id !== LOCAL_ACTOR.id) {
    const limiter = processLimiters()[kind];
    const took = limiter.take(actor.id);
    if (!took.ok) throw new AppError("E_RATE_LIMITED", { userMessage: rateLimitMessage(kind, limiter.rule, took.retryAfterMs) });
  }
  return next({ ctx: { db: ctx.db, actor } });
});

export const router = t.router;
/** The one procedure builder: every procedure is authorized (and rate limited) by its path. */
export const publicProcedure = t.procedure.use(appErrors).use(authorize);
export const createCallerFactory = t.createCallerFactory;
