// Lifecycle of one target-app instance: config, telemetry, data, HTTP; and the reverse on close.
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createHttpServer, registerApp } from './app.ts';
import { createCacheMetrics } from './cache/cache-metrics.ts';
import { connectRedis } from './cache/redis-client.ts';
import { createTwoLevelCache } from './cache/two-level-cache.ts';
import { type ChaosEffects, startChaosEffects } from './chaos/effects.ts';
import { createChaosController, observeChaos } from './chaos.ts';
import { type CarStore, openCarStore } from './db/car-store.ts';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './db/embedded/embedded-process.ts';
import {
  adminTokenRefusal,
  type Config,
  DEFAULT_ADMIN_TOKEN,
  PRODUCTION_ADMIN_TOKEN_MIN_LENGTH,
  parseConfig,
} from './env.ts';
import { createPromMetrics } from './metrics.ts';
import { observeOptimisations } from './optimisations/optimisation-metrics.ts';
import { createOptimisationsController, startOptimisations } from './optimisations/optimisations.ts';
import { createRateLimitController, defaultRateLimits } from './rate-limit/limits.ts';
import { type Realtime, startRealtime } from './realtime/realtime.ts';
import { createDbInstrumentation } from './telemetry/db-client.ts';
import { observePoolMetrics } from './telemetry/pool-metrics.ts';
import { startRuntimeMetrics } from './telemetry/runtime-metrics.ts';
import { startTelemetry } from './telemetry/sdk.ts';

/** Relative DATA_DIR paths are from the repository root, as for the dashboard and collector. */
const REPO_ROOT = join(import.meta.dirname, '..', '..');

export type TargetApp = {
  /** Base URL the server listens on, e.g. http://127.0.0.1:8080 (the real port when port 0 was asked). */
  readonly url: string;
  readonly config: Config;
  /** Fastify's inject: requests without a socket, e.g. from a chosen remote address (tests). */
  readonly inject: FastifyInstance['inject'];
  /** The embedded database's process (DATABASE_URL unset), undefined with a PostgreSQL server. */
  readonly embeddedDatabase: EmbeddedDatabase | undefined;
  /** Stops accepting requests, drains, flushes telemetry, closes the database. Idempotent. */
  close(): Promise<void>;
};

/** Starts the app; `options` override the environment and are validated the same way. */
export async function startTargetApp(options: Partial<Config> = {}): Promise<TargetApp> {
  const config = parseConfig(options);
  const app = createHttpServer(config);
  const telemetry = startTelemetry(config);
  // With telemetry off nothing would read them: no event-loop sampling, no GC observer.
  const runtimeMetrics = telemetry.enabled ? startRuntimeMetrics(telemetry.meter) : { stop() {} };
  let effects: ChaosEffects | undefined;
  let store: CarStore | undefined;
  let embedded: EmbeddedDatabase | undefined;
  let redis: Redis | undefined;
  let realtime: Realtime | undefined;
  try {
    const adminRefusal = adminTokenRefusal(config);
    if (adminRefusal !== undefined) {
      app.log.error(
        `admin API off (/admin answers 503): ${adminRefusal}; set ADMIN_TOKEN to a random secret of at least ${PRODUCTION_ADMIN_TOKEN_MIN_LENGTH} characters (npm start generates one per data directory)`,
      );
    } else if (config.adminToken === DEFAULT_ADMIN_TOKEN) {
      app.log.warn('ADMIN_TOKEN is the development default; set your own outside a laptop');
    }
    const prom = createPromMetrics();
    const chaos = createChaosController();
    observeChaos(chaos, telemetry.meter, prom);
    const rateLimits = createRateLimitController(defaultRateLimits(config));
    // The plan's optimisations, switched at run time (/admin/optimisations); rateLimiting is the
    // rate limits' own `enabled`, so both admin resources show the same value.
    const optimisations = createOptimisationsController(startOptimisations(config), {
      rateLimiting: {
        read: () => rateLimits.current().enabled,
        write: (enabled) => {
          const { updatedAt: _, ...settings } = rateLimits.current();
          rateLimits.set({ ...settings, enabled });
        },
      },
    });
    observeOptimisations(optimisations, telemetry.meter, prom.registry);
    const instrumentation = createDbInstrumentation(telemetry.tracer, telemetry.meter);
    if (config.databaseUrl === undefined) {
      // Its own process behind the wire protocol: its memory and event loop are not the target's.
      embedded = await startEmbeddedDatabase({
        ...(config.dataDir === undefined
          ? {}
          : { dataDir: join(resolve(REPO_ROOT, config.dataDir), 'pglite') }),
        serviceName: `${config.serviceName}-db`,
        telemetryEnabled: config.telemetryEnabled,
        otlpEndpoint: config.otlpEndpoint,
        metricExportIntervalMs: config.metricExportIntervalMs,
        log: (level, message) => app.log[level](message),
      });
    }
    const server =
      config.databaseUrl !== undefined
        ? { url: config.databaseUrl, engine: 'postgresql' as const }
        : { url: (embedded as EmbeddedDatabase).url, engine: 'pglite' as const };
    store = await openCarStore({
      carCount: config.carCount,
      carSeed: config.carSeed,
      instrumentation,
      log: (message) => app.log.info(message),
      database: {
        ...server,
        pool: {
          max: config.dbPoolMax,
          min: config.dbPoolMin,
          idleTimeoutMs: config.dbPoolIdleTimeoutMs,
          acquireTimeoutMs: config.dbPoolAcquireTimeoutMs,
        },
        searchConcurrency: config.dbSearchConcurrency,
      },
    });
    const database = store.database;
    observePoolMetrics(telemetry.meter, prom, store.engine, () => database.poolStats());
    effects = startChaosEffects({
      chaos,
      database,
      configuredPoolMax: () => optimisations.current().poolSize,
      meter: telemetry.meter,
      prom,
      onError: (message, error) => app.log.error({ err: error }, message),
    });
    const poolSizer = effects;
    optimisations.onChange(() => poolSizer.applyPoolSize());
    if (config.redisUrl !== undefined) {
      redis = connectRedis(config.redisUrl, config.redisCommandTimeoutMs, (error) =>
        app.log.warn({ err: error }, 'redis unavailable: serving from L1 and the database'),
      );
    }
    const cache = createTwoLevelCache({
      l1MaxEntries: config.cacheL1MaxEntries,
      l1MaxBytes: config.cacheL1MaxMb * 1024 * 1024,
      ttls: {
        carMs: config.cacheTtlCarMs,
        searchMs: config.cacheTtlSearchMs,
        otherMs: config.cacheTtlOtherMs,
      },
      redis,
      keyPrefix: config.cacheKeyPrefix,
      enabled: () => chaos.current().cacheEnabled && optimisations.current().responseCache,
      l2Enabled: () => optimisations.current().redisL2,
      metrics: createCacheMetrics(telemetry.meter, prom),
      tracer: telemetry.tracer,
    });
    realtime = await startRealtime({
      config,
      database: store.database,
      instrumentation,
      meter: telemetry.meter,
      prom,
      cache,
      redis,
      warn: (message, error) => app.log.warn({ err: error }, message),
    });
    await registerApp(app, {
      config,
      store,
      telemetry,
      prom,
      chaos,
      optimisations,
      rateLimits,
      cache,
      redis,
      realtime,
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    await realtime?.close();
    effects?.stop();
    runtimeMetrics.stop();
    await telemetry.shutdown();
    await store?.close();
    await embedded?.stop();
    redis?.disconnect();
    throw error;
  }

  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const openStore = store;
  const openRedis = redis;
  const openRealtime = realtime;
  const openEffects = effects;
  const openEmbedded = embedded;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    config,
    inject: app.inject.bind(app),
    embeddedDatabase: openEmbedded,
    close() {
      closing ??= (async () => {
        await app.close();
        await openRealtime.close();
        openEffects?.stop();
        runtimeMetrics.stop();
        await telemetry.shutdown();
        await openStore.close();
        await openEmbedded?.stop();
        openRedis?.disconnect();
      })();
      return closing;
    },
  };
}
