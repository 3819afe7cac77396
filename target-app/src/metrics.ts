// Prometheus exposition for scrapers: prom-client's default process metrics plus the HTTP request
// histogram and the chaos settings. One registry per app instance (tests start several in a process).
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The HTTP semantic conventions' advised bucket boundaries (seconds), shared with the OTel histogram. */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

export type PromMetrics = {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  chaosLatencyMs: Gauge;
  chaosJitterMs: Gauge;
  chaosErrorRate: Gauge;
};

export function createPromMetrics(): PromMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests.',
      labelNames: ['method', 'route', 'status_code'],
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
  };
}
