// Liveness, readiness and the Prometheus scrape endpoint; none is subject to chaos.
import type { FastifyInstance } from 'fastify';
import type { CarStore } from '../db/car-store.ts';
import type { PromMetrics } from '../metrics.ts';

/** A readiness probe must answer quickly even when the database hangs. */
export const READY_TIMEOUT_MS = 2_000;

export type ReadyResponse = {
  status: 'ready' | 'unavailable';
  checks: { database: { status: 'up' | 'down'; engine: string; error?: string } };
};

export function registerHealthRoutes(app: FastifyInstance, prom: PromMetrics, store: CarStore): void {
  app.get('/health', async () => ({ status: 'ok' as const }));

  app.get('/ready', async (_request, reply) => {
    let error: string | undefined;
    try {
      await store.ping(READY_TIMEOUT_MS);
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const body: ReadyResponse = {
      status: error === undefined ? 'ready' : 'unavailable',
      checks: {
        database: {
          status: error === undefined ? 'up' : 'down',
          engine: store.engine,
          ...(error ? { error } : {}),
        },
      },
    };
    return reply.code(error === undefined ? 200 : 503).send(body);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await prom.registry.metrics();
    return reply.type(prom.registry.contentType).send(body);
  });
}
