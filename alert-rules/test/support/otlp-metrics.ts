// OTLP/HTTP JSON metric requests for tests that go through a real collector: delta histograms of
// request latencies, delta sums and gauges, each point stamped with its own time.
const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;
const attributes = (attrs: Record<string, string>) =>
  Object.entries(attrs).map(([key, value]) => ({ key, value: { stringValue: value } }));

export const latencyBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface HistogramPoint {
  at: number;
  /** Every observation of the point took this long (seconds). */
  latency: number;
  n: number;
  attributes?: Record<string, string>;
}

export interface ValuePoint {
  at: number;
  value: number;
  attributes?: Record<string, string>;
}

function histogramPoint(p: HistogramPoint) {
  const counts = new Array<number>(latencyBounds.length + 1).fill(0);
  const bucket = latencyBounds.findIndex((b) => p.latency <= b);
  counts[bucket < 0 ? latencyBounds.length : bucket] = p.n;
  return {
    attributes: attributes(p.attributes ?? {}),
    startTimeUnixNano: nanos(p.at - 1000),
    timeUnixNano: nanos(p.at),
    count: String(p.n),
    sum: p.n * p.latency,
    bucketCounts: counts.map(String),
    explicitBounds: latencyBounds,
    min: p.latency,
    max: p.latency,
  };
}

const valuePoint = (p: ValuePoint) => ({
  attributes: attributes(p.attributes ?? {}),
  startTimeUnixNano: nanos(p.at - 1000),
  timeUnixNano: nanos(p.at),
  asDouble: p.value,
});

/** One request holding the given metrics of one service. */
export function metricsBody(
  service: string,
  metrics: {
    histograms?: Record<string, HistogramPoint[]>;
    sums?: Record<string, ValuePoint[]>;
    gauges?: Record<string, ValuePoint[]>;
  },
): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: attributes({ 'service.name': service }) },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              ...Object.entries(metrics.histograms ?? {}).map(([name, points]) => ({
                name,
                unit: 's',
                histogram: { aggregationTemporality: 1, dataPoints: points.map(histogramPoint) },
              })),
              ...Object.entries(metrics.sums ?? {}).map(([name, points]) => ({
                name,
                sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: points.map(valuePoint) },
              })),
              ...Object.entries(metrics.gauges ?? {}).map(([name, points]) => ({
                name,
                gauge: { dataPoints: points.map(valuePoint) },
              })),
            ],
          },
        ],
      },
    ],
  });
}

/** `http.server.request.duration` points of one service. */
export const histogramBody = (service: string, points: HistogramPoint[]) =>
  metricsBody(service, { histograms: { 'http.server.request.duration': points } });

/** Posts to the collector; throws unless it answers 200 with nothing rejected. */
export async function postMetrics(collectorUrl: string, body: string): Promise<void> {
  const res = await fetch(`${collectorUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  if (res.status !== 200 || text.includes('rejected')) throw new Error(`collector: ${res.status} ${text}`);
}
