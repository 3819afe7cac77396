// The Fastify application: error shape, telemetry hooks, and the three route groups. /api routes
// live in their own encapsulated plugin so the chaos hook can never touch /health, /metrics or /admin.
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Redis } from 'ioredis';
import { openAccounts } from './auth/accounts.ts';
import { createAuthMetrics } from './auth/auth-metrics.ts';
import { jwtSecretOf } from './auth/jwt-secret.ts';
import { registerRequestAuth } from './auth/request-auth.ts';
import { cachedCarStore } from './cache/cached-car-store.ts';
import type { TwoLevelCache } from './cache/two-level-cache.ts';
import { type ChaosController, registerChaosHook } from './chaos.ts';
import type { CarStore } from './db/car-store.ts';
import { adminTokenRefusal, type Config } from './env.ts';
import { createFavourites } from './favourites/favourites.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerTextInputChecks } from './http/text-input.ts';
import type { PromMetrics } from './metrics.ts';
import { createAppApiDocs } from './openapi/api-docs.ts';
import { registerOpenApi } from './openapi/openapi-routes.ts';
import { registerOptimisationRoutes } from './optimisations/admin-routes.ts';
import type { OptimisationsController } from './optimisations/optimisations.ts';
import { registerRateLimitAdminRoutes } from './rate-limit/admin-routes.ts';
import { observeRateLimits, type RateLimitController } from './rate-limit/limits.ts';
import { registerRateLimits } from './rate-limit/register-rate-limits.ts';
import { registerPriceChangerRoutes } from './realtime/price-changer-routes.ts';
import { registerPriceFeed } from './realtime/price-feed-routes.ts';
import type { Realtime } from './realtime/realtime.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerAvatarRoutes } from './routes/avatars.ts';
import { registerCarRoutes } from './routes/cars.ts';
import { registerFavouriteRoutes } from './routes/favourites.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { createDbInstrumentation } from './telemetry/db-client.ts';
import { registerHttpServerTelemetry } from './telemetry/http-server.ts';
import type { Telemetry } from './telemetry/sdk.ts';
import { createAvatars } from './uploads/avatars.ts';
import { createUploadMetrics } from './uploads/upload-metrics.ts';
import { registerWebPages } from './web/web-pages.ts';

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
  config: Config;
  store: CarStore;
  telemetry: Telemetry;
  prom: PromMetrics;
  chaos: ChaosController;
  /** The plan's optimisations as switches the code paths read per call (/admin/optimisations). */
  optimisations: OptimisationsController;
  rateLimits: RateLimitController;
  cache: TwoLevelCache;
  /** The L2 cache's connection, checked by /ready; absent without REDIS_URL. */
  redis?: Redis | undefined;
  /** The WebSocket price feed and its price changer. */
  realtime?: Realtime | undefined;
};

export async function registerApp(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const apiRoutes = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (/^\/api(\/|$)/.test(route.url)) apiRoutes.add(route.url);
  });

  registerErrorHandling(app);
  registerTextInputChecks(app);
  registerHttpServerTelemetry(app, {
    tracer: deps.telemetry.tracer,
    meter: deps.telemetry.meter,
    prom: deps.prom,
  });
  registerHealthRoutes(app, deps.prom, deps.store, deps.redis);
  if (deps.realtime !== undefined) await registerPriceFeed(app, deps.realtime.hub);
  registerOpenApi(app, createAppApiDocs());
  registerWebPages(app);

  const { config, telemetry, optimisations, rateLimits } = deps;
  const countReuse = () => optimisations.current().searchCountReuse;
  const instrumentation = createDbInstrumentation(telemetry.tracer, telemetry.meter);
  const accounts = await openAccounts({
    db: deps.store.database,
    instrumentation,
    metrics: createAuthMetrics(telemetry.meter, deps.prom.registry),
    jwtSecret: jwtSecretOf(config, (message) => app.log.warn(message)),
    bcryptCost: config.authBcryptCost,
    redis: deps.redis,
    keyPrefix: config.cacheKeyPrefix,
    mailWebhookUrl: config.mailWebhookUrl,
    log: app.log,
    switches: {
      passwordCost: () => optimisations.current().bcryptCost,
      tokenValidationCache: () => optimisations.current().tokenValidationCache,
      emailDelivery: () => optimisations.current().emailDelivery,
    },
  });
  app.addHook('onClose', () => accounts.close());
  const favourites = createFavourites(deps.store.database, instrumentation, deps.cache);
  const rateLimitMetrics = observeRateLimits(rateLimits, telemetry.meter, deps.prom.registry);

  await app.register(async (api) => {
    registerChaosHook(api, deps.chaos);
    // Auth before the limiter: signed-in clients are limited per user id, others per IP.
    registerRequestAuth(api, accounts.validator);
    await registerRateLimits(api, {
      controller: rateLimits,
      metrics: rateLimitMetrics,
      redis: deps.redis,
      keyPrefix: config.cacheKeyPrefix,
    });
    registerCarRoutes(
      api,
      cachedCarStore(deps.store, deps.cache, countReuse),
      deps.cache,
      favourites,
      countReuse,
    );
    registerAuthRoutes(api, accounts);
    registerFavouriteRoutes(api, favourites);
    await registerAvatarRoutes(
      api,
      createAvatars(deps.store.database, instrumentation),
      createUploadMetrics(telemetry.meter, deps.prom.registry),
    );
    deps.realtime?.registerApiRoutes(api);
  });
  await app.register(async (admin) => {
    registerAdminRoutes(admin, {
      adminToken: deps.config.adminToken,
      offBecause: adminTokenRefusal(deps.config),
      chaos: deps.chaos,
      apiRoutes: () => [...apiRoutes],
      poolResizable: deps.store.database.resizePool !== undefined,
    });
    registerRateLimitAdminRoutes(admin, rateLimits);
    registerOptimisationRoutes(admin, {
      controller: optimisations,
      chaos: deps.chaos,
      redisConfigured: deps.redis !== undefined,
      poolResizable: deps.store.database.resizePool !== undefined,
    });
    if (deps.realtime !== undefined) {
      registerPriceChangerRoutes(admin, deps.realtime.changer, deps.realtime.defaults);
    }
  });
}
