// The dashboard's API: one router per area, joined here. The client imports only the type.
import { createCallerFactory, router } from '../trpc.ts';
import { alertsRouter } from './alerts.ts';
import { auditRouter } from './audit.ts';
import { authRouter } from './auth.ts';
import { changesRouter } from './changes.ts';
import { chaosRouter } from './chaos.ts';
import { experimentsRouter } from './experiments.ts';
import { metricsRouter } from './metrics.ts';
import { receiversRouter } from './receivers.ts';
import { reportsRouter } from './reports.ts';
import { runsRouter } from './runs.ts';
import { schedulesRouter } from './schedules.ts';
import { scoresRouter } from './scores.ts';
import { serviceRouter } from './service.ts';
import { systemRouter } from './system.ts';
import { tokensRouter } from './tokens.ts';
import { usersRouter } from './users.ts';

export const appRouter = router({
  auth: authRouter,
  audit: auditRouter,
  chaos: chaosRouter,
  changes: changesRouter,
  experiments: experimentsRouter,
  metrics: metricsRouter,
  runs: runsRouter,
  reports: reportsRouter,
  receivers: receiversRouter,
  alerts: alertsRouter,
  scores: scoresRouter,
  schedules: schedulesRouter,
  service: serviceRouter,
  system: systemRouter,
  tokens: tokensRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
