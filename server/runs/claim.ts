// Claims the oldest queued run for submission, within the concurrency limit, in ONE conditional
// UPDATE: SQLite runs a statement under the write lock, so two monitors (two app processes on
// one database) can never both claim a run or together exceed the limit. PostgreSQL runs the
// same UPDATE after a transaction-scoped advisory lock, which gives the same guarantee (under
// READ COMMITTED the statement's snapshot is taken after the lock is granted).
import { dialectOf, type Db } from "../db";

const CLAIM_LOCK = 7_310_002;

/** Prisma's SQLite driver adapter stores DateTime as ISO 8601 with an explicit offset. */
export const sqliteTimestamp = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** The id of the run this caller now owns (state queued -> submitted), or null. */
export async function claimNext(db: Db, limit: number): Promise<string | null> {
  if (dialectOf(db) === "postgresql") return claimNextPostgres(db, limit);
  const now = sqliteTimestamp(new Date());
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Run" SET "state" = 'submitted', "submittedAt" = ?, "updatedAt" = ?
     WHERE "id" = (SELECT "id" FROM "Run" WHERE "state" = 'queued' ORDER BY "createdAt", "id" LIMIT 1)
       AND (SELECT COUNT(*) FROM "Run" WHERE "state" IN ('submitted', 'running')) < ?
     RETURNING "id"`,
    now, now, limit,
  );
  return rows[0]?.id ?? null;
}

async function claimNextPostgres(db: Db, limit: number): Promise<string | null> {
  const now = new Date().toISOString().replace("Z", ""); // Prisma stores DateTime as UTC timestamp(3)
  const rows = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`);
    return tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE "Run" SET "state" = 'submitted', "submittedAt" = $1::timestamp(3), "updatedAt" = $1::timestamp(3)
       WHERE "id" = (SELECT "id" FROM "Run" WHERE "state" = 'queued' ORDER BY "createdAt", "id" LIMIT 1)
         AND (SELECT COUNT(*) FROM "Run" WHERE "state" IN ('submitted', 'running')) < $2
       RETURNING "id"`,
      now, limit,
    );
  });
  return rows[0]?.id ?? null;
}
