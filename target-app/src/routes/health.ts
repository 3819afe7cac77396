// Liveness, readiness and the Prometheus scrape endpoint; none is subject to chaos.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { pingRedis } from '../cache/redis-client.ts';
import type { CarStore } from '../db/car-store.ts';
import type { PromMetrics } from '../metrics.ts';

/** A readiness probe must answer quickly even when the database hangs. */
export const READY_TIMEOUT_MS = 2_000;
/** Redis answers in a millisecond when it is there; its absence must not slow the probe down. */
export const REDIS_READY_TIMEOUT_MS = 500;

type Check = { status: 'up' | 'down'; error?: string };

/**
 * Ready: the database answers (and Redis, when configured). Degraded (still 200): Redis is down, so the
 * service answers from L1 and the database. Unavailable (503): the database is down.
 */
export type ReadyResponse = {
  status: 'ready' | 'degraded' | 'unavailable';
  db: 'ok' | 'down';
  redis: 'ok' | 'down' | 'disabled';
  checks: { database: Check & { engine: string }; redis?: Check };
};

async function check(probe: () => Promise<void>): Promise<Check> {
  try {
    await probe();
    return { status: 'up' };
  } catch (failure) {
    return { status: 'down', error: failure instanceof Error ? failure.message : String(failure) };
  }
}

export function registerHealthRoutes(
  app: FastifyInstance,
  prom: PromMetrics,
  store: CarStore,
  redis: Redis | undefined,
): void {
  app.get('/health', async () => ({ status: 'ok' as const }));

  app.get('/ready', async (_request, reply) => {
    const [database, cache] = await Promise.all([
      check(() => store.ping(READY_TIMEOUT_MS)),
      redis === undefined ? undefined : check(() => pingRedis(redis, REDIS_READY_TIMEOUT_MS)),
    ]);
    const dbUp = database.status === 'up';
    const redisState = cache === undefined ? 'disabled' : cache.status === 'up' ? 'ok' : 'down';
    const body: ReadyResponse = {
      status: !dbUp ? 'unavailable' : redisState === 'down' ? 'degraded' : 'ready',
      db: dbUp ? 'ok' : 'down',
      redis: redisState,
      checks: { database: { ...database, engine: store.engine }, ...(cache ? { redis: cache } : {}) },
    };
    return reply.code(dbUp ? 200 : 503).send(body);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await prom.registry.metrics();
    return reply.type(prom.registry.contentType).send(body);
  });
}
