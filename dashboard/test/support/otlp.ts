// OTLP/JSON bodies the integration tests post to the collector: delta histogram points of the
// target's HTTP server duration, as its SDK exports them.
export interface HttpPoint {
  atMs: number;
  route: string;
  status: number;
  count: number;
  /** Bucket counts over `explicitBounds` (by default [0.01, 0.05, 0.1, 0.5] s: 5 buckets). */
  buckets: number[];
  explicitBounds?: number[];
  sumSeconds: number;
  /** The observations' min and max, as SDKs record them (left out by default). */
  minSeconds?: number;
  maxSeconds?: number;
  /** More string attributes, e.g. the target's `traffic.source` mark. */
  attributes?: Record<string, string>;
}

const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);

/** One resource (service.name) with one scope holding `metrics`, as OTLP/JSON. */
function metricsBodyOf(service: string, metrics: unknown[]) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [{ scope: { name: 'test' }, metrics }],
      },
    ],
  };
}

export function httpMetricsBody(service: string, points: HttpPoint[]) {
  return metricsBodyOf(service, [
    {
      name: 'http.server.request.duration',
      unit: 's',
      histogram: {
        aggregationTemporality: 1,
        dataPoints: points.map((p) => ({
          startTimeUnixNano: ns(p.atMs - 1000),
          timeUnixNano: ns(p.atMs),
          count: String(p.count),
          sum: p.sumSeconds,
          ...(p.minSeconds === undefined ? {} : { min: p.minSeconds }),
          ...(p.maxSeconds === undefined ? {} : { max: p.maxSeconds }),
          bucketCounts: p.buckets.map(String),
          explicitBounds: p.explicitBounds ?? [0.01, 0.05, 0.1, 0.5],
          attributes: [
            { key: 'http.route', value: { stringValue: p.route } },
            { key: 'http.request.method', value: { stringValue: 'GET' } },
            { key: 'http.response.status_code', value: { intValue: String(p.status) } },
            ...Object.entries(p.attributes ?? {}).map(([key, value]) => ({
              key,
              value: { stringValue: value },
            })),
          ],
        })),
      },
    },
  ]);
}

export async function postOtlp(collectorUrl: string, path: '/v1/metrics' | '/v1/traces', body: unknown) {
  const res = await fetch(`${collectorUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`collector answered ${res.status}: ${await res.text()}`);
}

export interface SpanInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 2 = server, 3 = client. */
  kind: 2 | 3;
  startMs: number;
  durationMs: number;
  route?: string;
  status?: number;
}

export function tracesBody(service: string, spans: SpanInput[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: ns(s.startMs),
              endTimeUnixNano: String(
                BigInt(s.startMs) * 1_000_000n + BigInt(Math.round(s.durationMs * 1e6)),
              ),
              attributes: [
                ...(s.route ? [{ key: 'http.route', value: { stringValue: s.route } }] : []),
                ...(s.status
                  ? [{ key: 'http.response.status_code', value: { intValue: String(s.status) } }]
                  : []),
              ],
              status: {},
            })),
          },
        ],
      },
    ],
  };
}

/**
 * A gauge whose points have no time: the collector answers 200 with a partial success and
 * rejects every one of them as invalid (reason invalid_items), naming `service` as the sender.
 * `nonce` keeps bodies apart, so the collector's retry ledger does not take one for a retry.
 */
export function untimedGaugeBody(service: string, points: number, nonce = Math.random()) {
  return metricsBodyOf(service, [
    {
      name: 'queue.depth',
      gauge: { dataPoints: Array.from({ length: points }, (_, i) => ({ asDouble: i + nonce })) },
    },
  ]);
}
