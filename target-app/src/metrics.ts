// Prometheus exposition for scrapers: prom-client's default process metrics plus the HTTP request
// histogram and the chaos settings. One registry per app instance (tests start several in a process).

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The HTTP semantic conventions' advised bucket boundaries (seconds), shared with the OTel histogram. */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Cache lookups take microseconds (L1) to a few milliseconds (L2); shared with the OTel histogram. */
export const CACHE_DURATION_BUCKETS = [0.00001, 0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

export type PromMetrics = {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code' | 'traffic_source'>;
  chaosLatencyMs: Gauge;
  chaosJitterMs: Gauge;
  chaosErrorRate: Gauge;
  chaosCacheEnabled: Gauge;
  cacheHits: Counter<'level' | 'kind'>;
  cacheMisses: Counter<'level' | 'kind'>;
  cacheErrors: Counter<'kind' | 'operation'>;
  cacheDuration: Histogram<'level' | 'kind' | 'operation'>;
};

export function createPromMetrics(): PromMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests.',
      // traffic_source: `api`, or `internal` for scrapes, probes, admin and marked synthetic requests.
      labelNames: ['method', 'route', 'status_code', 'traffic_source'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [registry],
    }),
    chaosLatencyMs: new Gauge({
      name: 'chaos_latency_ms',
      help: 'Latency added to /api requests by the chaos controls.',
      registers: [registry],
    }),
    chaosJitterMs: new Gauge({
      name: 'chaos_jitter_ms',
      help: 'Random extra latency (0..jitter) added to /api requests by the chaos controls.',
      registers: [registry],
    }),
    chaosErrorRate: new Gauge({
      name: 'chaos_error_rate',
      help: 'Share of /api requests failed on purpose by the chaos controls (0..1).',
      registers: [registry],
    }),
    chaosCacheEnabled: new Gauge({
      name: 'chaos_cache_enabled',
      help: 'Whether the response cache is on (1) or switched off by the chaos controls (0).',
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'cache_hits_total',
      help: 'Cache hits by level (l1 in-process, l2 Redis) and kind.',
      labelNames: ['level', 'kind'],
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: 'cache_misses_total',
      help: 'Cache misses by level (l1 in-process, l2 Redis) and kind.',
      labelNames: ['level', 'kind'],
      registers: [registry],
    }),
    cacheErrors: new Counter({
      name: 'cache_errors_total',
      help: 'Failed or skipped Redis (l2) cache operations.',
      labelNames: ['kind', 'operation'],
      registers: [registry],
    }),
    cacheDuration: new Histogram({
      name: 'cache_operation_duration_seconds',
      help: 'Duration of cache operations.',
      labelNames: ['level', 'kind', 'operation'],
      buckets: CACHE_DURATION_BUCKETS,
      registers: [registry],
    }),
  };
}
