// A database that is busy or locked for longer than the driver waits: recognised in one place
// and turned into one AppError (E_DB_BUSY, HTTP 503, "The database is busy; try again").
//
// SQLite (better-sqlite3 through @prisma/adapter-better-sqlite3): a write waits up to
// busy_timeout (better-sqlite3's default 5 s, also set by migrate.ts) for another connection's
// lock, then fails with SQLITE_BUSY. The adapter maps SQLITE_BUSY to a "SocketTimeout"
// DriverAdapterError, which Prisma 6.19 throws as PrismaClientKnownRequestError P1008 with
// `meta.driverAdapterError.cause.originalCode === "SQLITE_BUSY"`; other codes of the family
// (SQLITE_LOCKED, SQLITE_BUSY_SNAPSHOT, ...) come through unmapped with the driver's `code`.
// PostgreSQL: lock_not_available (55P03) is the same condition.
import { AppError } from "../errors";

/** How long a statement waits for another connection's lock before SQLITE_BUSY (better-sqlite3's `timeout`). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

const BUSY_CODE = /^(SQLITE_BUSY|SQLITE_LOCKED)(_[A-Z]+)?$|^55P03$/;

function codesOf(e: unknown): string[] {
  if (!e || typeof e !== "object") return [];
  const o = e as { code?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } };
  const adapter = o.meta?.driverAdapterError?.cause;
  return [o.code, o.originalCode, adapter?.originalCode, adapter?.code].filter((c): c is string => typeof c === "string");
}

/** Is `error` (or anything in its cause chain) a busy/locked database? */
export function isDbBusy(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (codesOf(e).some((c) => BUSY_CODE.test(c))) return true;
  }
  return false;
}

export const DB_BUSY_MESSAGE = "The database is busy; try again";

/** The AppError a request gets when the database stayed busy longer than the driver waits. */
export function dbBusyError(cause: unknown): AppError {
  return new AppError("E_DB_BUSY", { userMessage: DB_BUSY_MESSAGE, message: "database busy or locked past the busy timeout", cause });
}
