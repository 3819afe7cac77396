import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServices } from '../../src/runtime/start-services.ts';
import type { createCaller } from '../../src/server/routers/_app.ts';
import { httpMetricsBody, postOtlp, tracesBody } from '../support/otlp.ts';
import { type StoreServices, startStoreServices } from '../support/store-services.ts';

let services: StoreServices;
let running: RunningServices;
let api: ReturnType<typeof createCaller>;
const slowTrace = 'a'.repeat(32);
const fastTrace = 'b'.repeat(32);

beforeAll(async () => {
  services = await startStoreServices('dashboard-service-');
  running = services.running;
  api = services.viewer;
  const at = Date.now() - 20_000;
  const internal = { 'traffic.source': 'internal' };
  const url = running.collector!.url;
  await postOtlp(
    url,
    '/v1/metrics',
    httpMetricsBody('car-suggester', [
      { atMs: at, route: '/api/cars', status: 200, count: 90, buckets: [0, 80, 10, 0, 0], sumSeconds: 3 },
      { atMs: at, route: '/api/cars', status: 503, count: 10, buckets: [0, 0, 0, 10, 0], sumSeconds: 2 },
      { atMs: at, route: '/api/cars/:id', status: 404, count: 5, buckets: [5, 0, 0, 0, 0], sumSeconds: 0.02 },
      { atMs: at, route: '/health', status: 200, count: 7, buckets: [7, 0, 0, 0, 0], sumSeconds: 0.01 },
      // The product's own traffic, as the target marks it: scrapes, and the page check's API calls.
      {
        atMs: at,
        route: '/metrics',
        status: 200,
        count: 12,
        buckets: [0, 0, 0, 12, 0],
        sumSeconds: 3,
        attributes: internal,
      },
      {
        atMs: at,
        route: '/api/cars',
        status: 503,
        count: 20,
        buckets: [0, 0, 0, 0, 20],
        sumSeconds: 12,
        attributes: internal,
      },
    ]),
  );
  await postOtlp(
    url,
    '/v1/traces',
    tracesBody('car-suggester', [
      {
        traceId: slowTrace,
        spanId: '1'.repeat(16),
        name: 'GET /api/cars',
        kind: 2,
        startMs: at,
        durationMs: 180,
        route: '/api/cars',
        status: 200,
      },
      {
        traceId: slowTrace,
        spanId: '2'.repeat(16),
        parentSpanId: '1'.repeat(16),
        name: 'SELECT cars',
        kind: 3,
        startMs: at + 5,
        durationMs: 150,
      },
      {
        traceId: fastTrace,
        spanId: '3'.repeat(16),
        name: 'GET /api/cars/:id',
        kind: 2,
        startMs: at,
        durationMs: 4,
        route: '/api/cars/:id',
        status: 404,
      },
    ]),
  );
});

afterAll(async () => {
  await services?.close();
});

async function snapshot(route: string | null) {
  for await (const s of await api.service.live({ range: '5m', route })) return s;
  throw new Error('no snapshot');
}

describe('service', () => {
  it("lists routes with their percentiles and error share, without /health and the product's own traffic", async () => {
    await expect.poll(async () => (await snapshot(null)).slowest.length, { timeout: 10_000 }).toBe(2);
    const s = await snapshot(null);
    expect(s.error).toBeNull();
    expect(s.routes.map((r) => r.route)).toEqual(['/api/cars', '/api/cars/:id']);
    const cars = s.routes[0]!;
    expect(cars.count).toBe(100);
    expect(cars.errorRate).toBeCloseTo(0.1);
    expect(cars.p50Ms).toBeGreaterThan(10);
    expect(cars.p99Ms).toBeGreaterThan(100);
    expect(s.routeP95.some((p) => typeof p['/api/cars'] === 'number')).toBe(true);
  });

  it("bounds each route's percentile by the histogram bucket it was estimated in", async () => {
    const s = await snapshot(null);
    const cars = s.routes.find((r) => r.route === '/api/cars')!;
    // 100 requests: 80 in (10, 50] ms, 10 in (50, 100], 10 in (100, 500]; no min or max recorded.
    // p50 is the 50th, in (10, 50]; p95 and p99 are the 95th and 99th, in (100, 500].
    const expected = [
      [cars.p50Ms, cars.p50RangeMs, 10, 50],
      [cars.p95Ms, cars.p95RangeMs, 100, 500],
      [cars.p99Ms, cars.p99RangeMs, 100, 500],
    ] as const;
    for (const [value, range, lower, upper] of expected) {
      expect(range).not.toBeNull();
      const [low, high] = range!;
      expect(low).toBeCloseTo(lower);
      expect(high).toBeCloseTo(upper);
      expect(value).toBeGreaterThanOrEqual(low);
      expect(value).toBeLessThanOrEqual(high!);
    }
    expect(cars.p95Ms).toBeCloseTo(300);
  });

  it('groups errors by status and route, most frequent first', async () => {
    const s = await snapshot(null);
    expect(s.errors).toEqual([
      { route: '/api/cars', status: 503, count: 10 },
      { route: '/api/cars/:id', status: 404, count: 5 },
    ]);
  });

  it('gives the latency distribution as bucket counts', async () => {
    const s = await snapshot('/api/cars');
    expect(s.distribution.map((b) => [b.label, b.count])).toEqual([
      ['≤10', 0],
      ['≤50', 80],
      ['≤100', 10],
      ['≤500', 10],
    ]);
    expect(s.slowest.map((t) => t.traceId)).toEqual([slowTrace]);
  });

  it('lays out the slowest trace as a waterfall', async () => {
    const s = await snapshot(null);
    expect(s.slowest[0]).toMatchObject({ traceId: slowTrace, name: 'GET /api/cars', httpStatus: '200' });
    expect(s.slowest[0]?.durationMs).toBeCloseTo(180);
    const trace = await api.service.trace({ traceId: slowTrace });
    expect(trace.rows.map((r) => [r.name, r.depth, Math.round(r.offsetMs)])).toEqual([
      ['GET /api/cars', 0, 0],
      ['SELECT cars', 1, 5],
    ]);
    expect(trace.totalMs).toBeCloseTo(180);
    await expect(api.service.trace({ traceId: 'c'.repeat(32) })).rejects.toThrow(/no spans stored/);
    await expect(api.service.trace({ traceId: "x' OR 1=1" })).rejects.toThrow(/32 hex digits/);
  });
});
