// The Fastify application: error shape, telemetry hooks, and the three route groups. /api routes
// live in their own encapsulated plugin so the chaos hook can never touch /health, /metrics or /admin.
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Redis } from 'ioredis';
import { cachedCarStore } from './cache/cached-car-store.ts';
import type { TwoLevelCache } from './cache/two-level-cache.ts';
import { type ChaosController, registerChaosHook } from './chaos.ts';
import type { CarStore } from './db/car-store.ts';
import type { Config } from './env.ts';
import { registerErrorHandling } from './http/errors.ts';
import type { PromMetrics } from './metrics.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerCarRoutes } from './routes/cars.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerHttpServerTelemetry } from './telemetry/http-server.ts';
import type { Telemetry } from './telemetry/sdk.ts';

export function createHttpServer(config: Pick<Config, 'logLevel'>): FastifyInstance {
  return Fastify({
    logger: { level: config.logLevel },
    // Per-request log lines would cost more than the requests themselves under load; the span and
    // the histogram carry that information.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
}

export type AppDeps = {
  config: Pick<Config, 'adminToken'>;
  store: CarStore;
  telemetry: Telemetry;
  prom: PromMetrics;
  chaos: ChaosController;
  cache: TwoLevelCache;
  /** The L2 cache's connection, checked by /ready; absent without REDIS_URL. */
  redis?: Redis | undefined;
};

export async function registerApp(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const apiRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (/^\/api(\/|$)/.test(route.url)) apiRoutes.add(route.url);
  });

  registerErrorHandling(app);
  registerHttpServerTelemetry(app, {
    tracer: deps.telemetry.tracer,
    meter: deps.telemetry.meter,
    prom: deps.prom,
  });
  registerHealthRoutes(app, deps.prom, deps.store, deps.redis);

  await app.register(async (api) => {
    registerChaosHook(api, deps.chaos);
    registerCarRoutes(api, cachedCarStore(deps.store, deps.cache), deps.cache);
  });
  await app.register(async (admin) => {
    registerAdminRoutes(admin, {
      adminToken: deps.config.adminToken,
      chaos: deps.chaos,
      apiRoutes: () => [...apiRoutes],
    });
  });
}
