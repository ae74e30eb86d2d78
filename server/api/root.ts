// The app's router: one entry per area. The browser reaches the server only through the
// inferred AppRouter type.
import { auditRouter } from "./routers/audit";
import { adminRouter } from "./routers/admin";
import { connectionsRouter } from "./routers/connections";
import { dashboardRouter } from "./routers/dashboard";
import { healthRouter } from "./routers/health";
import { pipelinesRouter } from "./routers/pipelines";
import { previewRouter } from "./routers/preview";
import { pythonRouter } from "./routers/python";
import { runsRouter } from "./routers/runs";
import { schedulesRouter } from "./routers/schedules";
import { sourcesRouter } from "./routers/sources";
import { webhooksRouter } from "./routers/webhooks";
import { workspacesRouter } from "./routers/workspaces";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  health: healthRouter,
  pipelines: pipelinesRouter,
  sources: sourcesRouter,
  python: pythonRouter,
  runs: runsRouter,
  preview: previewRouter,
  schedules: schedulesRouter,
  dashboard: dashboardRouter,
  webhooks: webhooksRouter,
  connections: connectionsRouter,
  admin: adminRouter,
  workspaces: workspacesRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
