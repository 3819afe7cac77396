// The collector's status endpoints, open even when ingest API keys are required: /health (raw
// counters), /metrics (Prometheus text of its own numbers) and /ready (store, queue, scrapes).
import type { FastifyInstance } from 'fastify';
import type { ScrapeHealth } from '../scrape/scrape-target.ts';
import type { InsertLatencySeries } from '../write/insert-latency.ts';
import { type CollectorStats, prometheusText, readiness } from './self-telemetry.ts';

export interface StatusSources {
  describe: string;
  stats(): CollectorStats;
  insertLatency(): InsertLatencySeries[];
  health(): Record<string, unknown>;
  scrape(): ScrapeHealth[];
}

export function registerStatusRoutes(app: FastifyInstance, sources: StatusSources): void {
  app.get('/health', async () => ({ status: 'ok', store: sources.describe, ...sources.health() }));
  app.get('/metrics', async (_request, reply) =>
    reply
      .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .send(prometheusText(sources.stats(), sources.insertLatency())),
  );
  app.get('/ready', async (_request, reply) => {
    const report = readiness(sources.stats());
    return reply.code(report.ready ? 200 : 503).send({
      ...report,
      store: { ...report.store, describe: sources.describe },
      scrape: sources.scrape(),
    });
  });
}
