// tRPC initialisation: context, the one error formatter, and procedure builders. Routers stay
// thin: validate input and output with zod, call into server/ modules.
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { db, type Db } from "../db";
import { AppError, APP_ERROR_CODES } from "../errors";
import { dbBusyError, isDbBusy } from "../db/busy";
import { LOCAL_ACTOR, type Actor } from "../auth/actor";

export interface Context {
  readonly db: Db;
  /** Who is calling; null = not signed in (sign-in on and no valid session). */
  readonly actor: Actor | null;
}

/** The context of the CLI, tests and single-user mode: the local admin. */
export function localContext(database: Db = db()): Context {
  return { db: database, actor: LOCAL_ACTOR };
}

export function createContext(): Context {
  return localContext();
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

export const router = t.router;
export const publicProcedure = t.procedure.use(appErrors);
export const createCallerFactory = t.createCallerFactory;
