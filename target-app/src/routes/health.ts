// Liveness and the Prometheus scrape endpoint; neither is subject to chaos.
import type { FastifyInstance } from 'fastify';
import type { PromMetrics } from '../metrics.ts';

export function registerHealthRoutes(app: FastifyInstance, prom: PromMetrics): void {
  app.get('/health', async () => ({ status: 'ok' as const }));

  app.get('/metrics', async (_request, reply) => {
    const body = await prom.registry.metrics();
    return reply.type(prom.registry.contentType).send(body);
  });
}
