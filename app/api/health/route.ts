// GET /api/health: the database and Ray, for humans, scripts and load balancers.
import { checkHealth } from "@/server/api/routers/health";
import { db } from "@/server/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(db());
  return Response.json(health, { status: health.ok ? 200 : 503 });
}
