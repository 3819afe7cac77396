// What the generated store holds: several services and ~50 routes, each with a request rate and a
// median latency, plus the other series the Overview and the scores read (DB, cache, pool,
// real-time, k6 network timings, runtime memory, synthetic page check). generate.ts turns these
// into INSERT … SELECT statements so ClickHouse itself produces the rows (and the rollup views).

/** The HTTP semantic conventions' bucket bounds for http.server.request.duration (seconds). */
export const HTTP_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** The OTel SDK's default bounds, which k6's OTLP output uses for its Trends (milliseconds). */
export const K6_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

export const TARGET_SERVICE = 'car-suggester';

export interface HistogramSeries {
  service: string;
  metric: string;
  unit: string;
  attributes: Record<string, string>;
  /** Mean events per second (scaled by a daily curve and ±25 % noise). */
  rate: number;
  /** Median of the log-normal value distribution, in the metric's unit. */
  median: number;
  sigma: number;
  bounds: number[];
  /** Share of seconds that have a row at all (error series are sparse). */
  presence: number;
}

export interface ValueSeries {
  table: 'otel_metrics_gauge' | 'otel_metrics_sum';
  service: string;
  metric: string;
  unit: string;
  attributes: Record<string, string>;
  base: number;
  /** Relative amplitude of the daily curve and of the per-point noise. */
  daily: number;
  noise: number;
  /** Seconds between points (1 for SDK exports, 60 for the page check). */
  step: number;
  /** 1 = delta, 2 = cumulative (OTLP AggregationTemporality). */
  temporality: number;
  monotonic: boolean;
}

interface Route {
  service: string;
  route: string;
  method: string;
  rate: number;
  median: number;
}

const services: Record<string, [method: string, route: string, rate: number, medianMs: number][]> = {
  [TARGET_SERVICE]: [
    ['GET', '/health', 1, 2],
    ['POST', '/api/auth/login', 3, 120],
    ['POST', '/api/auth/logout', 1, 8],
    ['POST', '/api/auth/refresh', 2, 15],
    ['GET', '/api/cars', 40, 45],
    ['GET', '/api/cars/search', 60, 90],
    ['GET', '/api/cars/:id', 50, 20],
    ['GET', '/api/cars/:id/similar', 12, 70],
    ['GET', '/api/cars/:id/price-history', 6, 35],
    ['GET', '/api/recommendations', 25, 110],
    ['GET', '/api/makes', 8, 6],
    ['GET', '/api/makes/:make/models', 8, 9],
    ['GET', '/api/favourites', 10, 18],
    ['POST', '/api/favourites', 3, 30],
    ['DELETE', '/api/favourites/:id', 1, 25],
    ['GET', '/api/users/me', 15, 10],
    ['PUT', '/api/users/me', 0.5, 40],
    ['GET', '/api/prices/live', 5, 4],
    ['POST', '/api/reviews', 0.5, 60],
    ['GET', '/api/reviews/:carId', 9, 28],
    ['GET', '/api/openapi.json', 0.2, 3],
  ],
  inventory: [
    ['GET', '/inventory/items', 20, 30],
    ['GET', '/inventory/items/:id', 25, 12],
    ['POST', '/inventory/items', 1, 55],
    ['PATCH', '/inventory/items/:id', 2, 45],
    ['GET', '/inventory/dealers', 4, 20],
    ['GET', '/inventory/dealers/:id/stock', 6, 65],
    ['POST', '/inventory/import', 0.1, 900],
    ['GET', '/inventory/health', 1, 2],
    ['GET', '/inventory/regions', 2, 8],
    ['GET', '/inventory/search', 12, 80],
  ],
  pricing: [
    ['GET', '/prices/:id', 30, 15],
    ['POST', '/prices/quote', 8, 140],
    ['GET', '/prices/history/:id', 5, 60],
    ['POST', '/prices/bulk', 0.5, 400],
    ['GET', '/prices/rules', 1, 10],
    ['PUT', '/prices/rules/:id', 0.1, 50],
    ['GET', '/prices/currencies', 2, 4],
    ['GET', '/prices/health', 1, 2],
    ['GET', '/prices/estimate', 7, 95],
  ],
  notifications: [
    ['POST', '/notify/email', 2, 180],
    ['POST', '/notify/push', 4, 70],
    ['GET', '/notify/preferences', 3, 12],
    ['PUT', '/notify/preferences', 0.3, 25],
    ['GET', '/notify/history', 1, 40],
    ['POST', '/notify/webhook', 1, 220],
    ['GET', '/notify/templates', 0.5, 9],
    ['GET', '/notify/health', 1, 2],
    ['GET', '/notify/unread', 6, 14],
  ],
};

export const ROUTES: Route[] = Object.entries(services).flatMap(([service, rows]) =>
  rows.map(([method, route, rate, medianMs]) => ({ service, route, method, rate, median: medianMs / 1000 })),
);
export const SERVICES = Object.keys(services);

function httpSeries(): HistogramSeries[] {
  return ROUTES.flatMap((r) => {
    const http = (status: number, rateShare: number, presence: number, slower: number): HistogramSeries => ({
      service: r.service,
      metric: 'http.server.request.duration',
      unit: 's',
      attributes: {
        'http.request.method': r.method,
        'http.route': r.route,
        'http.response.status_code': String(status),
        'url.scheme': 'http',
        'network.protocol.version': '1.1',
      },
      rate: Math.max(r.rate * rateShare, 1),
      median: r.median * slower,
      sigma: 0.55,
      bounds: HTTP_BOUNDS,
      presence,
    });
    // Every route answers 200 each second; some seconds also carry a 4xx or a (slower) 5xx row.
    return [http(200, 1, 1, 1), http(404, 0.01, 0.02, 0.5), http(500, 0.005, 0.01, 3)];
  });
}

const histogram = (
  metric: string,
  unit: string,
  attributes: Record<string, string>,
  rate: number,
  median: number,
  bounds: number[],
  service = TARGET_SERVICE,
): HistogramSeries => ({ service, metric, unit, attributes, rate, median, sigma: 0.5, bounds, presence: 1 });

const DB = 'db.client.operation.duration';
const dbBounds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5];
const dbAttrs = (op: string, error = '') => ({
  'db.system.name': 'postgresql',
  'db.operation.name': op,
  ...(error ? { 'error.type': error } : {}),
});

export const HISTOGRAM_SERIES: HistogramSeries[] = [
  ...httpSeries(),
  histogram(DB, 's', dbAttrs('SELECT'), 180, 0.012, dbBounds),
  histogram(DB, 's', dbAttrs('INSERT'), 6, 0.02, dbBounds),
  histogram(DB, 's', dbAttrs('UPDATE'), 3, 0.018, dbBounds),
  { ...histogram(DB, 's', dbAttrs('SELECT', 'timeout'), 1, 1.5, dbBounds), presence: 0.005 },
  histogram('realtime.message.latency', 's', {}, 40, 0.02, HTTP_BOUNDS),
  histogram('realtime.connection.duration', 's', {}, 1, 120, [1, 10, 60, 300, 900, 3600]),
  histogram('http_req_connecting', 'ms', { scenario: 'steady' }, 50, 0.4, K6_BOUNDS, 'k6'),
  histogram('http_req_blocked', 'ms', { scenario: 'steady' }, 50, 0.6, K6_BOUNDS, 'k6'),
  histogram('http_req_duration', 'ms', { scenario: 'steady' }, 50, 60, K6_BOUNDS, 'k6'),
];

const value = (
  table: ValueSeries['table'],
  service: string,
  metric: string,
  unit: string,
  base: number,
  extra: Partial<ValueSeries> = {},
): ValueSeries => ({
  table,
  service,
  metric,
  unit,
  attributes: {},
  base,
  daily: 0.3,
  noise: 0.1,
  step: 1,
  temporality: 1,
  monotonic: true,
  ...extra,
});

const upDown = { temporality: 2, monotonic: false } as const;
const PAGE = 'page-check';

export const VALUE_SERIES: ValueSeries[] = [
  value('otel_metrics_sum', TARGET_SERVICE, 'cache.hits', '{hit}', 120),
  value('otel_metrics_sum', TARGET_SERVICE, 'cache.misses', '{miss}', 25),
  value('otel_metrics_sum', TARGET_SERVICE, 'db.client.connection.count', '{connection}', 6, {
    ...upDown,
    attributes: { 'db.client.connection.state': 'used', 'db.client.connection.pool.name': 'main' },
  }),
  value('otel_metrics_sum', TARGET_SERVICE, 'db.client.connection.count', '{connection}', 14, {
    ...upDown,
    attributes: { 'db.client.connection.state': 'idle', 'db.client.connection.pool.name': 'main' },
  }),
  value('otel_metrics_sum', TARGET_SERVICE, 'db.client.connection.max', '{connection}', 20, {
    ...upDown,
    daily: 0,
    noise: 0,
    attributes: { 'db.client.connection.pool.name': 'main' },
  }),
  ...SERVICES.flatMap((service) => [
    value('otel_metrics_gauge', service, 'process.memory.usage', 'By', 150e6, { daily: 0.1, noise: 0.05 }),
    value('otel_metrics_gauge', service, 'v8js.memory.heap.used', 'By', 80e6, { daily: 0.1, noise: 0.15 }),
  ]),
  value('otel_metrics_gauge', PAGE, 'page.load.duration', 's', 1.2, { step: 60 }),
  value('otel_metrics_gauge', PAGE, 'page.fcp', 's', 0.6, { step: 60 }),
  value('otel_metrics_gauge', PAGE, 'page.tti', 's', 1.5, { step: 60 }),
  value('otel_metrics_gauge', PAGE, 'page.cls', '1', 0.02, { step: 60 }),
];
