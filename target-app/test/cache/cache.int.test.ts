// The two-level cache seen from outside: hits per level on /metrics and over OTLP, L2 shared by two
// instances on one Redis, TTL expiry, the chaos switch, and Redis going away.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { decodeMetrics } from '../support/otlp-decode.ts';
import { closedPort, connectTestRedis, deleteKeys, promValue, TEST_REDIS_URL } from '../support/redis.ts';
import { eventually, startTestApp, type TestApp } from '../support/test-app.ts';

const PREFIX = `ta-cache-test-${process.pid}:`;
const CAR_COUNT = 300;
let redis: Redis;
// PostgreSQL rather than PGlite: three instances start in well under a second on one database.
let database: TestDatabase;
let a: TestApp;
let b: TestApp;
/** L1 only in practice: its Redis URL points at a closed port. Car TTL 300 ms for the expiry test. */
let c: TestApp;

async function metricsOf(t: TestApp): Promise<string> {
  return (await fetch(`${t.url}/metrics`)).text();
}

async function count(t: TestApp, name: string, level: string, kind: string): Promise<number> {
  return promValue(await metricsOf(t), name, { level, kind });
}

beforeAll(async () => {
  redis = await connectTestRedis();
  await deleteKeys(redis, PREFIX);
  database = await createTestDatabase('cache');
  const base = { carCount: CAR_COUNT, databaseUrl: database.url, dbPoolMin: 0 };
  const shared = { ...base, redisUrl: TEST_REDIS_URL, cacheKeyPrefix: PREFIX };
  const unreachable = `redis://127.0.0.1:${await closedPort()}`;
  [a, b, c] = await Promise.all([
    startTestApp(shared),
    startTestApp(shared),
    startTestApp({ ...base, redisUrl: unreachable, cacheKeyPrefix: PREFIX, cacheTtlCarMs: 300 }),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), c?.close()]);
  await deleteKeys(redis, PREFIX);
  redis?.disconnect();
  await database?.drop();
});

describe('two-level cache', () => {
  it('answers the second identical request from L1, for every cached kind', async () => {
    const paths = {
      car: '/api/cars/7',
      search: '/api/cars?make=Toyota&pageSize=5&facets=true',
      similar: '/api/cars/7/similar?limit=5',
      recommendations: '/api/recommendations?carIds=3,4&limit=5',
      makes: '/api/makes',
    };
    for (const [kind, path] of Object.entries(paths)) {
      const first = await a.get(path);
      const second = await a.get(path);
      expect(first.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(await count(a, 'cache_hits_total', 'l1', kind), kind).toBeGreaterThanOrEqual(1);
    }
    // Search keys are the validated query: parameter order does not matter.
    const before = await count(a, 'cache_hits_total', 'l1', 'search');
    await a.get('/api/cars?pageSize=5&facets=true&make=Toyota');
    expect(await count(a, 'cache_hits_total', 'l1', 'search')).toBeGreaterThan(before);

    const hit = await eventually(() =>
      a.receiver.bodies.metrics
        .flatMap((body) => decodeMetrics(body))
        .filter((m) => m.name === 'cache.hits')
        .flatMap((m) => m.points)
        .find((p) => p.attributes['cache.level'] === 'l1' && p.attributes['cache.kind'] === 'car'),
    );
    expect(hit.attributes).toEqual({ 'cache.level': 'l1', 'cache.kind': 'car' });
    const names = a.receiver.bodies.metrics.flatMap((body) => decodeMetrics(body)).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['cache.misses', 'cache.operation.duration']));
  });

  it('shares L2 between instances on the same Redis', async () => {
    const first = await a.get('/api/cars/11');
    expect(await redis.exists(`${PREFIX}car:11`)).toBe(1);
    const fromB = await b.get('/api/cars/11');
    expect(fromB.body).toEqual(first.body);
    expect(await count(b, 'cache_hits_total', 'l2', 'car')).toBe(1);
    expect(await count(b, 'cache_misses_total', 'l1', 'car')).toBe(1);
  });

  it('bypasses both levels while the chaos switch turns the cache off', async () => {
    expect(promValue(await metricsOf(a), 'chaos_cache_enabled', {})).toBe(1);
    const set = await a.chaos('PUT', { cacheEnabled: false });
    try {
      expect(set).toMatchObject({ status: 200, body: { cacheEnabled: false } });
      expect(promValue(await metricsOf(a), 'chaos_cache_enabled', {})).toBe(0);
      const hits = await count(a, 'cache_hits_total', 'l1', 'car');
      const misses = await count(a, 'cache_misses_total', 'l1', 'car');
      for (let i = 0; i < 3; i++) expect((await a.get('/api/cars/7')).status).toBe(200);
      expect(await count(a, 'cache_hits_total', 'l1', 'car')).toBe(hits);
      expect(await count(a, 'cache_misses_total', 'l1', 'car')).toBe(misses);
    } finally {
      await a.chaos('DELETE');
    }
    expect((await a.chaos('GET')).body.cacheEnabled).toBe(true);
  });

  it('reports ready with Redis and the database up', async () => {
    expect(await a.get('/ready')).toMatchObject({
      status: 200,
      body: { status: 'ready', db: 'ok', redis: 'ok' },
    });
  });
});

describe('cache expiry', () => {
  it('loads again once the TTL has passed', async () => {
    await c.get('/api/cars/5');
    await c.get('/api/cars/5');
    expect(await count(c, 'cache_hits_total', 'l1', 'car')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await c.get('/api/cars/5');
    expect(await count(c, 'cache_hits_total', 'l1', 'car')).toBe(1);
    expect(await count(c, 'cache_misses_total', 'l1', 'car')).toBe(2);
  });
});

describe('with Redis unreachable', () => {
  it('keeps answering from L1 and the database, counts errors and reports degraded readiness', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await c.get('/api/cars/9')).status).toBe(200);
      expect((await c.get('/api/cars?minPrice=1000')).status).toBe(200);
    }
    expect(await count(c, 'cache_hits_total', 'l1', 'search')).toBe(1);
    expect(promValue(await metricsOf(c), 'cache_errors_total', { kind: 'search' })).toBeGreaterThan(0);
    expect(await c.get('/ready')).toMatchObject({
      status: 200,
      body: { status: 'degraded', db: 'ok', redis: 'down' },
    });
  });
});
