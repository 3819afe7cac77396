// The dashboard's API: one router per area, joined here. The client imports only the type.
import { createCallerFactory, router } from '../trpc.ts';
import { alertsRouter } from './alerts.ts';
import { auditRouter } from './audit.ts';
import { authRouter } from './auth.ts';
import { chaosRouter } from './chaos.ts';
import { metricsRouter } from './metrics.ts';
import { reportsRouter } from './reports.ts';
import { runsRouter } from './runs.ts';
import { scoresRouter } from './scores.ts';
import { serviceRouter } from './service.ts';
import { systemRouter } from './system.ts';

export const appRouter = router({
  auth: authRouter,
  audit: auditRouter,
  chaos: chaosRouter,
  metrics: metricsRouter,
  runs: runsRouter,
  reports: reportsRouter,
  alerts: alertsRouter,
  scores: scoresRouter,
  service: serviceRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
