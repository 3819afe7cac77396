// OTLP/JSON bodies the integration tests post to the collector: delta histogram points of the
// target's HTTP server duration, as its SDK exports them.
export interface HttpPoint {
  atMs: number;
  route: string;
  status: number;
  count: number;
  /** Bucket counts over the bounds [0.01, 0.05, 0.1, 0.5] s (5 buckets). */
  buckets: number[];
  sumSeconds: number;
  /** More string attributes, e.g. the target's `traffic.source` mark. */
  attributes?: Record<string, string>;
}

const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);

export function httpMetricsBody(service: string, points: HttpPoint[]) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
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
                    bucketCounts: p.buckets.map(String),
                    explicitBounds: [0.01, 0.05, 0.1, 0.5],
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
            ],
          },
        ],
      },
    ],
  };
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
