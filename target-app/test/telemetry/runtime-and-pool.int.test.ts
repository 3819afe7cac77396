// Runtime, pool and cache instrumentation as exported over OTLP and scraped at /metrics: event-loop
// delay, GC, heap and RSS; connection pool counts by state with the pool maximum (the same `pg` pool
// on PostgreSQL and on the embedded PGlite server); Redis CLIENT spans under the request's span; and trace sampling from the environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { decodeMetrics, decodeSpans, type ExportedMetric } from '../support/otlp-decode.ts';
import { connectTestRedis, deleteKeys, promValue, TEST_REDIS_URL } from '../support/redis.ts';
import { eventually, startTestApp, type TestApp } from '../support/test-app.ts';

/** The target's own metrics (the embedded database's process exports under `<service>-db`). */
function exported(t: TestApp): ExportedMetric[] {
  return t.receiver.bodies.metrics
    .flatMap((body) => decodeMetrics(body))
    .filter((m) => m.resource['service.name'] === 'car-suggester-test');
}

/** The latest exported value of `name` whose point has all of `attributes`. */
function latest(t: TestApp, name: string, attributes: Record<string, string> = {}): number | undefined {
  const points = exported(t)
    .filter((m) => m.name === name)
    .flatMap((m) => m.points)
    .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
  return points.at(-1)?.value;
}

describe('runtime and pool metrics on PGlite', () => {
  const POOL_MAX = 4;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ dbPoolMax: POOL_MAX, dbPoolMin: 1 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('exports event-loop delay, GC pauses, heap used and RSS with the runtime conventions', async () => {
    // Garbage to collect: a GC pause is recorded when V8 collects.
    for (let i = 0; i < 50; i++) await t.get(`/api/cars?pageSize=100&page=${i + 1}`);
    const names = await eventually(() => {
      const seen = new Set(exported(t).map((m) => m.name));
      const wanted = [
        'nodejs.eventloop.delay.p99',
        'nodejs.eventloop.delay.max',
        'nodejs.eventloop.utilization',
        'v8js.gc.duration',
        'v8js.memory.heap.used',
        'process.memory.usage',
      ];
      return wanted.every((n) => seen.has(n)) ? seen : undefined;
    });
    expect(names.size).toBeGreaterThan(6);
    const metric = (name: string) => exported(t).find((m) => m.name === name)!;
    expect(metric('nodejs.eventloop.delay.p99')).toMatchObject({ kind: 'gauge', unit: 's' });
    expect(metric('v8js.gc.duration')).toMatchObject({ kind: 'histogram', unit: 's', temporality: 1 });
    expect(['major', 'minor', 'incremental', 'weakcb']).toContain(
      metric('v8js.gc.duration').points[0]?.attributes['v8js.gc.type'],
    );
    const rss = latest(t, 'process.memory.usage') ?? 0;
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(latest(t, 'v8js.memory.heap.used') ?? 0).toBeLessThan(rss);
    const delayP99 = latest(t, 'nodejs.eventloop.delay.p99') ?? -1;
    expect(delayP99).toBeGreaterThan(0);
    expect(delayP99).toBeLessThan(5);
  });

  it('reports the pool to the embedded PGlite server, on OTLP and /metrics', async () => {
    const max = await eventually(() => latest(t, 'db.client.connection.max'));
    expect(max).toBe(POOL_MAX);
    const pool = { 'db.client.connection.pool.name': 'pglite' };
    // Connections the catalogue was read through stay open (idle) for the idle timeout.
    await t.get('/api/cars?make=Toyota');
    const open = await eventually(() => {
      const idle = latest(t, 'db.client.connection.count', { ...pool, 'db.client.connection.state': 'idle' });
      const used = latest(t, 'db.client.connection.count', { ...pool, 'db.client.connection.state': 'used' });
      const total = (idle ?? 0) + (used ?? 0);
      return total >= 1 ? total : undefined;
    });
    expect(open).toBeLessThanOrEqual(POOL_MAX);
    const count = exported(t).find((m) => m.name === 'db.client.connection.count')!;
    // A count, not a change: cumulative even though the exporter prefers delta.
    expect(count).toMatchObject({ kind: 'sum', unit: '{connection}', temporality: 2 });
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(promValue(text, 'db_client_connection_max', { pool_name: 'pglite' })).toBe(POOL_MAX);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
  });
});

describe('pool metrics, Redis spans and sampling on PostgreSQL + Redis', () => {
  const prefix = `ta-runtime-test-${process.pid}:`;
  let database: TestDatabase;
  let t: TestApp;
  let sampled: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase('runtime_pool');
    const base = {
      databaseUrl: database.url,
      dbPoolMax: 3,
      dbPoolMin: 0,
      redisUrl: TEST_REDIS_URL,
      cacheKeyPrefix: prefix,
    };
    t = await startTestApp(base);
    sampled = await startTestApp({ ...base, tracesSampler: 'parentbased_traceidratio', tracesSamplerArg: 0 });
  });

  afterAll(async () => {
    await Promise.all([t?.close(), sampled?.close()]);
    const redis = await connectTestRedis();
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await database?.drop();
  });

  it('counts used connections and queued queries against the pool maximum', async () => {
    // Slow queries hold their connections: six concurrent requests on three connections queue.
    await t.chaos('PUT', { slowQueryMs: 400, cacheEnabled: false });
    try {
      const requests = Array.from({ length: 6 }, (_, i) => t.get(`/api/cars/${i + 1}`));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const text = await (await fetch(`${t.url}/metrics`)).text();
      expect(promValue(text, 'db_client_connection_max', { pool_name: 'postgresql' })).toBe(3);
      expect(promValue(text, 'db_client_connection_count', { pool_name: 'postgresql', state: 'used' })).toBe(
        3,
      );
      expect(promValue(text, 'db_client_connection_pending_requests', { pool_name: 'postgresql' })).toBe(3);
      await Promise.all(requests);
    } finally {
      await t.chaos('DELETE');
    }
    const used = await eventually(() => {
      const value = latest(t, 'db.client.connection.count', {
        'db.client.connection.pool.name': 'postgresql',
        'db.client.connection.state': 'used',
      });
      return value === 0 ? value : undefined;
    });
    expect(used).toBe(0);
    expect(latest(t, 'db.client.connection.max', { 'db.client.connection.pool.name': 'postgresql' })).toBe(3);
  });

  it('makes Redis GET and SET CLIENT spans children of the request span', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${t.url}/api/cars/42`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const spans = await eventually(() => {
      const found = t.receiver.bodies.traces
        .flatMap((b) => decodeSpans(b))
        .filter((s) => s.traceId === traceId);
      return found.length >= 4 ? found : undefined;
    });
    const server = spans.find((s) => s.kind === 2)!;
    const redis = spans.filter((s) => s.attributes['db.system.name'] === 'redis');
    expect(redis.map((s) => s.name).sort()).toEqual(['GET', 'SET']);
    for (const span of redis) {
      expect(span).toMatchObject({ kind: 3, parentSpanId: server.spanId });
      expect(span.attributes['server.port']).toBe(Number(new URL(TEST_REDIS_URL).port));
    }
  });

  it('samples by OTEL_TRACES_SAMPLER: ratio 0 records no new trace but follows a sampled caller', async () => {
    const unsampledTrace = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    await sampled.get('/api/cars/5');
    await fetch(`${sampled.url}/api/cars/6`, {
      headers: { traceparent: `00-${unsampledTrace}-00f067aa0ba902b7-00` },
    });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await fetch(`${sampled.url}/api/cars/7`, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    const spans = await eventually(() => {
      const all = sampled.receiver.bodies.traces.flatMap((b) => decodeSpans(b));
      return all.some((s) => s.traceId === traceId && s.kind === 2) ? all : undefined;
    });
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
  });
});
