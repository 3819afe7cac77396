// One hour of a quiet target's telemetry, the same every time (seeded): what its OTel SDK exports
// every second — delta HTTP server histograms per route and status (a few 5xx), database
// operation histograms, memory and CPU gauges, delta cache counters, pool levels — and a server
// span per request, as OTLP/JSON bodies of `chunkSeconds` seconds each, in time order.
//
// Every float that ClickHouse adds up (histogram sums, gauge values) is a multiple of 2^-10 and
// small, so any order of addition gives the same double: stores whose rows were inserted and
// merged in different groups must then show bit-identical figures, and any difference is a row
// dropped, doubled or altered, not floating-point summation order.

const SERVICE = 'car-suggester';
/** OTel's default bounds for http.server.request.duration (seconds). */
const HTTP_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const DB_BOUNDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1];

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A latency in seconds, log-normal around `median`, rounded to a multiple of 2^-10 s (≈ 1 ms). */
const latency = (random: () => number, median: number) => {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.max(1, Math.round(median * Math.exp(0.6 * normal) * 1024)) / 1024;
};

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const hex = (random: () => number, digits: number) =>
  Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');

interface Route {
  route: string;
  method: string;
  /** Requests a second, on average. */
  rate: number;
  medianSeconds: number;
  /** Share of requests answered with each non-200 status. */
  statuses: Record<number, number>;
}

const ROUTES: Route[] = [
  { route: '/api/cars', method: 'GET', rate: 1, medianSeconds: 0.04, statuses: { 500: 0.004 } },
  { route: '/api/cars/:id', method: 'GET', rate: 0.5, medianSeconds: 0.012, statuses: { 404: 0.05 } },
  { route: '/api/recommendations', method: 'GET', rate: 0.3, medianSeconds: 0.12, statuses: { 500: 0.02 } },
  {
    route: '/api/auth/login',
    method: 'POST',
    rate: 0.1,
    medianSeconds: 0.25,
    statuses: { 401: 0.1, 500: 0.01 },
  },
];

/** A Poisson draw (small means: Knuth's method). */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

interface Observations {
  count: number;
  sum: number;
  min: number;
  max: number;
  buckets: number[];
}

function observe(into: Observations | undefined, bounds: number[], seconds: number): Observations {
  const o = into ?? { count: 0, sum: 0, min: seconds, max: seconds, buckets: bounds.map(() => 0).concat(0) };
  o.count++;
  o.sum += seconds;
  o.min = Math.min(o.min, seconds);
  o.max = Math.max(o.max, seconds);
  const i = bounds.findIndex((b) => seconds <= b);
  o.buckets[i === -1 ? bounds.length : i] = (o.buckets[i === -1 ? bounds.length : i] ?? 0) + 1;
  return o;
}

const histogramPoint = (
  o: Observations,
  bounds: number[],
  startMs: number,
  endMs: number,
  attributes: unknown[],
) => ({
  startTimeUnixNano: ns(startMs),
  timeUnixNano: ns(endMs),
  count: String(o.count),
  sum: o.sum,
  min: o.min,
  max: o.max,
  bucketCounts: o.buckets.map(String),
  explicitBounds: bounds,
  attributes,
});

export interface QuietHourChunk {
  metrics: unknown;
  traces: unknown;
  /** Data points (rows of the metric tables) and spans (rows of otel_traces) in the chunk. */
  points: number;
  spans: number;
}

export interface QuietHour {
  chunks: QuietHourChunk[];
  /** Rows each raw table must end up with: every point and span once. */
  rows: {
    otel_metrics_histogram: number;
    otel_metrics_gauge: number;
    otel_metrics_sum: number;
    otel_traces: number;
  };
}

/** [t0, t0 + seconds) as exported second by second, `chunkSeconds` exports per request. */
export function quietHour(t0: number, chunkSeconds = 2, seconds = 3600, seed = 20): QuietHour {
  const random = seeded(seed);
  const rows = { otel_metrics_histogram: 0, otel_metrics_gauge: 0, otel_metrics_sum: 0, otel_traces: 0 };
  const chunks: QuietHourChunk[] = [];
  let heap = 60 * 1024 * 1024;
  let spanCount = 0;
  for (let first = 0; first < seconds; first += chunkSeconds) {
    const histograms: unknown[] = [];
    const dbPoints: unknown[] = [];
    const gauges: Record<string, unknown[]> = {
      'process.memory.usage': [],
      'v8js.memory.heap.used': [],
      'process.cpu.utilization': [],
    };
    const sums: Record<string, unknown[]> = { 'cache.hits': [], 'cache.misses': [] };
    const levels: Record<string, unknown[]> = {
      'db.client.connection.count': [],
      'db.client.connection.max': [],
    };
    const spans: unknown[] = [];
    for (let second = first; second < Math.min(first + chunkSeconds, seconds); second++) {
      const start = t0 + second * 1000;
      const end = start + 1000;
      const db = {
        select: undefined as Observations | undefined,
        insert: undefined as Observations | undefined,
      };
      for (const route of ROUTES) {
        const byStatus = new Map<number, Observations>();
        for (let n = poisson(random, route.rate); n > 0; n--) {
          let status = 200;
          let roll = random();
          for (const [code, share] of Object.entries(route.statuses)) {
            if (roll < share) {
              status = Number(code);
              break;
            }
            roll -= share;
          }
          const seconds = latency(random, status >= 500 ? route.medianSeconds * 4 : route.medianSeconds);
          byStatus.set(status, observe(byStatus.get(status), HTTP_BOUNDS, seconds));
          db.select = observe(db.select, DB_BOUNDS, latency(random, 0.004));
          if (route.method === 'POST') db.insert = observe(db.insert, DB_BOUNDS, latency(random, 0.008));
          // A server span per request; its duration in ns (unique, so "slowest first" has no ties).
          const at = start + Math.floor(random() * 900);
          spanCount++;
          spans.push({
            traceId: hex(random, 32),
            spanId: hex(random, 16),
            name: `${route.method} ${route.route}`,
            kind: 2,
            startTimeUnixNano: ns(at),
            endTimeUnixNano: String(BigInt(at) * 1_000_000n + BigInt(Math.round(seconds * 1e9) + spanCount)),
            attributes: [
              str('http.route', route.route),
              str('http.request.method', route.method),
              int('http.response.status_code', status),
            ],
            status: { code: status >= 500 ? 2 : 0 },
          });
        }
        for (const [status, o] of byStatus)
          histograms.push(
            histogramPoint(o, HTTP_BOUNDS, start, end, [
              str('http.route', route.route),
              str('http.request.method', route.method),
              int('http.response.status_code', status),
            ]),
          );
      }
      // The product's own probe every 5 s: marked internal, left out of every API figure.
      if (second % 5 === 0)
        histograms.push(
          histogramPoint(observe(undefined, HTTP_BOUNDS, 1 / 1024), HTTP_BOUNDS, start, end, [
            str('http.route', '/health'),
            str('http.request.method', 'GET'),
            int('http.response.status_code', 200),
            str('traffic.source', 'internal'),
          ]),
        );
      if (db.select)
        dbPoints.push(
          histogramPoint(db.select, DB_BOUNDS, start, end, [
            str('db.operation.name', 'SELECT'),
            str('error.type', ''),
          ]),
        );
      if (db.insert)
        dbPoints.push(
          histogramPoint(db.insert, DB_BOUNDS, start, end, [
            str('db.operation.name', 'INSERT'),
            str('error.type', ''),
          ]),
        );
      heap += Math.round((random() - 0.45) * 64) * 1024;
      gauges['process.memory.usage']?.push({ timeUnixNano: ns(end), asInt: String(heap + 70 * 1024 * 1024) });
      gauges['v8js.memory.heap.used']?.push({ timeUnixNano: ns(end), asInt: String(heap) });
      gauges['process.cpu.utilization']?.push({
        timeUnixNano: ns(end),
        asDouble: Math.round(random() * 32) / 1024,
      });
      const hits = poisson(random, 2.5);
      sums['cache.hits']?.push({ startTimeUnixNano: ns(start), timeUnixNano: ns(end), asInt: String(hits) });
      sums['cache.misses']?.push({
        startTimeUnixNano: ns(start),
        timeUnixNano: ns(end),
        asInt: String(poisson(random, 0.8)),
      });
      const used = Math.floor(random() * 3);
      for (const [state, value] of [
        ['used', used],
        ['idle', 10 - used],
      ] as const)
        levels['db.client.connection.count']?.push({
          startTimeUnixNano: ns(t0),
          timeUnixNano: ns(end),
          asInt: String(value),
          attributes: [str('db.client.connection.state', state)],
        });
      levels['db.client.connection.max']?.push({
        startTimeUnixNano: ns(t0),
        timeUnixNano: ns(end),
        asInt: '10',
      });
    }
    const metrics = [
      {
        name: 'http.server.request.duration',
        unit: 's',
        histogram: { aggregationTemporality: 1, dataPoints: histograms },
      },
      {
        name: 'db.client.operation.duration',
        unit: 's',
        histogram: { aggregationTemporality: 1, dataPoints: dbPoints },
      },
      ...Object.entries(gauges).map(([name, dataPoints]) => ({ name, gauge: { dataPoints } })),
      ...Object.entries(sums).map(([name, dataPoints]) => ({
        name,
        sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints },
      })),
      ...Object.entries(levels).map(([name, dataPoints]) => ({
        name,
        sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints },
      })),
    ];
    const count = (list: Record<string, unknown[]>) => Object.values(list).reduce((n, l) => n + l.length, 0);
    const chunk = {
      histograms: histograms.length + dbPoints.length,
      gauges: count(gauges),
      sums: count(sums) + count(levels),
    };
    rows.otel_metrics_histogram += chunk.histograms;
    rows.otel_metrics_gauge += chunk.gauges;
    rows.otel_metrics_sum += chunk.sums;
    rows.otel_traces += spans.length;
    const resource = { attributes: [str('service.name', SERVICE)] };
    chunks.push({
      metrics: {
        resourceMetrics: [{ resource, scopeMetrics: [{ scope: { name: 'quiet-hour' }, metrics }] }],
      },
      traces: { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'quiet-hour' }, spans }] }] },
      points: chunk.histograms + chunk.gauges + chunk.sums,
      spans: spans.length,
    });
  }
  return { chunks, rows };
}

export const QUIET_HOUR_SERVICE = SERVICE;
