// A real prom-client registry served over HTTP, scraped by a real collector into the real chDB
// store: what the target observed after the first scrape is what the store answers (counts, sums,
// the p95 of the histogram), new series count whole, and failing targets give up=0.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type CollectorServer,
  createStore,
  histogramQuantile,
  parseScrapeTargets,
  queryStat,
  type Store,
  startCollector,
} from '../../src/index.ts';
import { ScrapeTarget } from '../../src/scrape/scrape-target.ts';

const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const registry = new Registry();
const duration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Request duration',
  labelNames: ['route'],
  buckets: bounds,
  registers: [registry],
});
const requests = new Counter({
  name: 'http_requests_total',
  help: 'Requests',
  labelNames: ['route'],
  registers: [registry],
});
const inUse = new Gauge({ name: 'pool_in_use', help: 'Connections in use', registers: [registry] });
const sizes = new Summary({
  name: 'payload_bytes',
  help: 'Sizes',
  percentiles: [0.5, 0.9],
  registers: [registry],
});
// The target "started" an hour before the collector: its first scrape can only be a baseline.
const processStart = new Gauge({ name: 'process_start_time_seconds', help: 'Start', registers: [registry] });
processStart.set(Math.floor(Date.now() / 1000) - 3600);

const servers: Server[] = [];
function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'scrape-'));
let store: Store;
let collector: CollectorServer;
let closedPort: string;
let scrapeHeaders: IncomingHttpHeaders | undefined;

beforeAll(async () => {
  const good = await serve(async (req, res) => {
    scrapeHeaders = req.headers;
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  const slow = await serve(() => {}); // never answers
  const garbage = await serve((_req, res) => res.end('this is { not prometheus\n'));
  const closing = await serve(() => {});
  closedPort = closing;
  await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({
    store,
    port: 0,
    batch: { maxDelayMs: 10 },
    scrapeTargets: parseScrapeTargets(
      JSON.stringify([
        { job: 'shop', url: `${good}/metrics`, interval: '1h', timeout: '5s' },
        { job: 'slow', url: `${slow}/metrics`, interval: '1h', timeout: '300ms' },
        { job: 'garbage', url: `${garbage}/metrics`, interval: '1h' },
        { job: 'down', url: `${closedPort}/metrics`, interval: 3600 },
      ]),
    ),
  });
}, 60_000);
afterAll(async () => {
  await collector?.close();
  await store?.close();
  for (const s of servers) s.closeAllConnections();
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await store.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

const observed: number[] = [];
let windowFrom = 0;
function observe(route: string, seconds: number) {
  duration.labels(route).observe(seconds);
  observed.push(seconds);
}

it('stores what the target observed after the baseline scrape, with the same p95', async () => {
  duration.labels('/search').observe(9); // before the first scrape: part of the baseline
  requests.labels('/search').inc(100);
  await collector.scrapeNow();
  windowFrom = Date.now();
  // Deterministic latencies over the buckets, then a second scrape; then more, and a third.
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 500; i++) observe('/search', rnd() ** 3 * 1.5);
  requests.labels('/search').inc(7);
  inUse.set(13);
  sizes.observe(100);
  sizes.observe(300);
  await new Promise((r) => setTimeout(r, 5));
  await collector.scrapeNow();
  for (let i = 0; i < 300; i++) observe('/search', 0.02 + rnd() * 0.3);
  observe('/cars', 0.2); // a series born after the first scrape counts whole
  requests.labels('/cars').inc(3);
  await new Promise((r) => setTimeout(r, 5));
  await collector.scrapeNow();
  const window = { from: windowFrom, to: Date.now() + 1000 };

  const sel = { metric: 'http_request_duration_seconds', serviceName: 'shop', kind: 'histogram' as const };
  expect(await queryStat(store.client, { ...sel, stat: 'count', window })).toBe(observed.length);
  expect(await queryStat(store.client, { ...sel, stat: 'sum', window })).toBeCloseTo(
    observed.reduce((a, b) => a + b, 0),
    6,
  );
  // The p95 the target's own buckets give, and the exact p95 lies in the same bucket.
  const counts = [...bounds, Infinity].map(
    (b, i) => observed.filter((v) => v <= b && (i === 0 || v > bounds[i - 1]!)).length,
  );
  const expected = histogramQuantile({ bounds, counts }, 0.95);
  const p95 = await queryStat(store.client, { ...sel, stat: 'p95', window });
  expect(p95).toBeCloseTo(expected!, 9);
  const exact = [...observed].sort((a, b) => a - b)[Math.ceil(0.95 * observed.length) - 1]!;
  const bucket = bounds.findIndex((b) => exact <= b);
  expect(p95!).toBeGreaterThan(bounds[bucket - 1] ?? 0);
  expect(p95!).toBeLessThanOrEqual(bounds[bucket]!);

  const sums = await rows<{ route: string; v: number; t: number }>(
    `SELECT Attributes['route'] AS route, sum(Value) AS v, any(AggregationTemporality) AS t
     FROM otel_metrics_sum WHERE MetricName = 'http_requests_total' AND ServiceName = 'shop'
       AND TimeUnix >= fromUnixTimestamp64Milli({from:Int64}) GROUP BY route ORDER BY route`,
    { from: windowFrom },
  );
  expect(sums.map((r) => [r.route, Number(r.v), Number(r.t)])).toEqual([
    ['/cars', 3, 1],
    ['/search', 7, 1],
  ]);
  const [gauge] = await rows<{ v: number }>(
    `SELECT argMax(Value, TimeUnix) AS v FROM otel_metrics_gauge WHERE MetricName = 'pool_in_use'`,
  );
  expect(Number(gauge?.v)).toBe(13);
  const summary = await rows<{ c: number; q: number[] }>(
    `SELECT Count AS c, ValueAtQuantiles.Quantile AS q FROM otel_metrics_summary
     WHERE MetricName = 'payload_bytes' ORDER BY TimeUnix DESC LIMIT 1`,
  );
  expect(summary.map((r) => ({ c: Number(r.c), q: r.q.map(Number) }))).toEqual([{ c: 2, q: [0.5, 0.9] }]);
}, 60_000);

it("marks its scrapes as the product's own traffic (x-synthetic), as Prometheus would its timeout", () => {
  expect(scrapeHeaders).toMatchObject({
    'x-synthetic': 'collector-scrape',
    'x-prometheus-scrape-timeout-seconds': '5',
  });
});

it('records scrape health as up, scrape_duration_seconds and scrape_samples_scraped', async () => {
  const health = Object.fromEntries(collector.scrapeHealth().map((h) => [h.job, h]));
  expect(health.shop).toMatchObject({ up: true, lastError: null });
  expect(health.slow).toMatchObject({ up: false, lastError: 'scrape timed out after 300 ms' });
  expect(health.garbage?.up).toBe(false);
  expect(health.garbage?.lastError).toMatch(/^line 1: expected a value and an optional timestamp/);
  expect(health.down?.up).toBe(false);
  const up = await rows<{ job: string; instance: string; up: number; service: string }>(
    `SELECT Attributes['job'] AS job, Attributes['instance'] AS instance, ServiceName AS service,
       argMax(Value, TimeUnix) AS up FROM otel_metrics_gauge WHERE MetricName = 'up' GROUP BY job, instance, service ORDER BY job`,
  );
  expect(up.map((r) => [r.job, r.service, Number(r.up)])).toEqual([
    ['down', 'down', 0],
    ['garbage', 'garbage', 0],
    ['shop', 'shop', 1],
    ['slow', 'slow', 0],
  ]);
  expect(up.find((r) => r.job === 'down')?.instance).toBe(new URL(closedPort).host);
  const [samples] = await rows<{ v: number }>(
    `SELECT argMax(Value, TimeUnix) AS v FROM otel_metrics_gauge
     WHERE MetricName = 'scrape_samples_scraped' AND Attributes['job'] = 'shop'`,
  );
  expect(Number(samples?.v)).toBeGreaterThan(20);
  const ready = (await (await fetch(`http://127.0.0.1:${collector.port}/ready`)).json()) as {
    scrape: unknown[];
  };
  expect(ready.scrape).toHaveLength(4);
});

it('gives up=0 for an exposition over the size limit or an HTTP error, without storing its samples', async () => {
  const big = await serve((_req, res) => res.end('x 1\n'.repeat(5000)));
  const missing = await serve((_req, res) => res.writeHead(404).end('no'));
  const [tooBig, notFound] = await Promise.all(
    [big, missing].map((base) =>
      new ScrapeTarget(
        { job: 'j', url: `${base}/metrics`, intervalMs: 1000, timeoutMs: 1000 },
        1024,
      ).scrape(),
    ),
  );
  expect(tooBig?.health).toMatchObject({ up: false, samples: 0, lastError: 'body exceeds 1024 bytes' });
  expect(notFound?.health.lastError).toMatch(/^HTTP 404 from/);
  const names = tooBig?.data[0]?.scopeMetrics[0]?.metrics.map((m) => m.name);
  expect(names).toEqual(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);
});

it('treats a restarted target (new process start time) as a reset, not a negative delta', async () => {
  registry.resetMetrics();
  processStart.set(Math.floor(Date.now() / 1000));
  requests.labels('/search').inc(2);
  await new Promise((r) => setTimeout(r, 5));
  await collector.scrapeNow();
  const [row] = await rows<{ v: number; n: number }>(
    `SELECT sum(Value) AS v, min(Value) AS n FROM otel_metrics_sum
     WHERE MetricName = 'http_requests_total' AND Attributes['route'] = '/search'
       AND TimeUnix >= fromUnixTimestamp64Milli({from:Int64})`,
    { from: windowFrom },
  );
  expect(Number(row?.v)).toBe(9);
  expect(Number(row?.n)).toBeGreaterThanOrEqual(0);
});
