// Claims the oldest queued run for submission, within the concurrency limit, in ONE conditional
// UPDATE: SQLite runs a statement under the write lock, so two monitors (two app processes on
// one database) can never both claim a run or together exceed the limit.
import type { Db } from "../db";

/** Prisma's SQLite driver adapter stores DateTime as ISO 8601 with an explicit offset. */
export const sqliteTimestamp = (d: Date) => d.toISOString().replace("Z", "+00:00");

/** The id of the run this caller now owns (state queued -> submitted), or null. */
export async function claimNext(db: Db, limit: number): Promise<string | null> {
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
