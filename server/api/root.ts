// The app's router: one entry per area. The browser reaches the server only through the
// inferred AppRouter type.
import { healthRouter } from "./routers/health";
import { pipelinesRouter } from "./routers/pipelines";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  health: healthRouter,
  pipelines: pipelinesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
