// Health of the app's dependencies: the database and Ray's Jobs API.
import { z } from "zod";
import { rayAddress, rayClient } from "../../runner/ray-service";
import type { Db } from "../../db";
import { publicProcedure, router } from "../trpc";

export const HealthSchema = z.object({
  ok: z.boolean(),
  database: z.object({ ok: z.boolean(), error: z.string().nullable() }),
  ray: z.object({ ok: z.boolean(), address: z.string(), version: z.string().nullable(), error: z.string().nullable() }),
});
export type Health = z.infer<typeof HealthSchema>;

/** Checks both dependencies concurrently, each bounded to a couple of seconds. */
export async function checkHealth(database: Db): Promise<Health> {
  const [dbRes, rayRes] = await Promise.all([
    database.$queryRawUnsafe("SELECT 1").then(
      () => ({ ok: true, error: null }),
      (e: unknown) => ({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    ),
    rayClient(2_000).version().then(
      (v) => ({ ok: true, address: rayAddress(), version: v.ray_version, error: null }),
      (e: unknown) => ({ ok: false, address: rayAddress(), version: null, error: e instanceof Error ? e.message : String(e) }),
    ),
  ]);
  return { ok: dbRes.ok && rayRes.ok, database: dbRes, ray: rayRes };
}

export const healthRouter = router({
  check: publicProcedure.output(HealthSchema).query(({ ctx }) => checkHealth(ctx.db)),
});
