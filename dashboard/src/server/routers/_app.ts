// The dashboard's API: one router per area, joined here. The client imports only the type.
import { createCallerFactory, router } from '../trpc.ts';
import { alertsRouter } from './alerts.ts';
import { metricsRouter } from './metrics.ts';
import { runsRouter } from './runs.ts';
import { scoresRouter } from './scores.ts';
import { serviceRouter } from './service.ts';

export const appRouter = router({
  metrics: metricsRouter,
  runs: runsRouter,
  alerts: alertsRouter,
  scores: scoresRouter,
  service: serviceRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
