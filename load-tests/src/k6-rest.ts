// Client for a running k6's REST API (enabled with --address): live status, metrics, stop.
// The API speaks JSON:API envelopes ({data: {type, id, attributes}}), also for PATCH bodies.
import { z } from 'zod';
import type { LiveStatus, LiveThreshold } from './run-state.ts';

const statusSchema = z.object({
  data: z.object({
    attributes: z.object({
      status: z.number(),
      vus: z.number().nullable(),
      stopped: z.boolean(),
      running: z.boolean(),
      tainted: z.boolean(),
    }),
  }),
});

const metricsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      attributes: z.object({
        type: z.string(),
        tainted: z.boolean().nullable(),
        sample: z.record(z.string(), z.number().nullable()),
      }),
    }),
  ),
});

export type K6Status = z.infer<typeof statusSchema>['data']['attributes'];
export type K6Metric = {
  name: string;
  type: string;
  tainted: boolean | null;
  sample: Record<string, number | null>;
};

export function parseStatusResponse(json: unknown): K6Status {
  return statusSchema.parse(json).data.attributes;
}

export function parseMetricsResponse(json: unknown): K6Metric[] {
  return metricsSchema.parse(json).data.map((m) => ({ name: m.id, ...m.attributes }));
}

export type K6RestClient = {
  getStatus(): Promise<K6Status>;
  getMetrics(): Promise<K6Metric[]>;
  /** Ends the run; k6 exits with code 103 after its teardown and summary. */
  stop(): Promise<K6Status>;
  /** Starts a run launched with --paused. */
  resume(): Promise<K6Status>;
};

export function createK6RestClient(address: string, timeoutMs = 2000): K6RestClient {
  const call = async (path: string, init?: RequestInit): Promise<unknown> => {
    const res = await fetch(`http://${address}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body: unknown = await res.json();
    if (!res.ok)
      throw new Error(`k6 REST API ${init?.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  const patchStatus = async (attributes: Record<string, boolean>): Promise<K6Status> => {
    const body = JSON.stringify({ data: { type: 'status', id: 'default', attributes } });
    const res = await call('/v1/status', {
      method: 'PATCH',
      body,
      headers: { 'content-type': 'application/json' },
    });
    return parseStatusResponse(res);
  };
  return {
    getStatus: async () => parseStatusResponse(await call('/v1/status')),
    getMetrics: async () => parseMetricsResponse(await call('/v1/metrics')),
    stop: () => patchStatus({ stopped: true }),
    resume: () => patchStatus({ paused: false }),
  };
}

// Our scripts add per-route sub-metrics with an always-true threshold only to expose them in the
// summary; they are not pass/fail criteria, so the live threshold list leaves them out — except the
// routes with a plan threshold of their own (k6/lib/thresholds.js: search p95 < 300 ms,
// recommendations p95 < 150 ms).
const ROUTE_SUBMETRIC = /^http_req_duration\{name:.+\}$/;
export const ROUTE_THRESHOLD_METRICS: ReadonlySet<string> = new Set([
  'http_req_duration{name:GET /api/cars}',
  'http_req_duration{name:GET /api/recommendations}',
]);

/**
 * Live numbers from one poll. `previous` (the last poll) turns the cumulative request count into a
 * current rate; without it, k6's average rate since the start is used.
 */
export function liveStatusFrom(
  status: K6Status,
  metrics: readonly K6Metric[],
  at: number,
  previous?: Pick<LiveStatus, 'at' | 'httpReqs'>,
): LiveStatus {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const sample = (name: string, key: string): number | null => byName.get(name)?.sample[key] ?? null;
  const httpReqs = sample('http_reqs', 'count') ?? 0;
  const elapsedS = previous ? (at - previous.at) / 1000 : 0;
  const reqRate =
    previous && elapsedS > 0
      ? Math.max(0, httpReqs - previous.httpReqs) / elapsedS
      : (sample('http_reqs', 'rate') ?? 0);
  const thresholds: LiveThreshold[] = metrics
    .filter(
      (m) => m.tainted !== null && (!ROUTE_SUBMETRIC.test(m.name) || ROUTE_THRESHOLD_METRICS.has(m.name)),
    )
    .map((m) => ({ metric: m.name, ok: m.tainted === false }))
    .sort((a, b) => a.metric.localeCompare(b.metric));
  return {
    at,
    vus: status.vus ?? sample('vus', 'value') ?? 0,
    iterations: sample('iterations', 'count') ?? 0,
    httpReqs,
    reqRate,
    p95Ms: sample('http_req_duration', 'p(95)'),
    errorRate: sample('http_req_failed', 'rate') ?? 0,
    thresholds,
  };
}
