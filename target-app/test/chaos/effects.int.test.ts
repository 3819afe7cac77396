// The process-wide chaos switches, each shown to take effect and to be undone: slow queries, a
// memory leak (retained, then given back), CPU burn (event-loop utilisation) and the pool size
// (a new pg pool of the asked size, then the configured one again); each visible as a gauge.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { promValue } from '../support/redis.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// The injected delay is the feature, so these tests time requests; the delay is long enough that
// an undelayed request on a busy shared machine stays well under it, making `< SLOW_MS` a
// generous bound for "not delayed" (speed itself is measured in bench/target-app, not here).
const SLOW_MS = 1500;

async function gauge(t: TestApp, name: string, labels: Record<string, string> = {}): Promise<number> {
  return promValue(await (await fetch(`${t.url}/metrics`)).text(), name, labels);
}

describe('chaos effects on PGlite', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.chaos('DELETE');
    await t?.close();
  });

  it('slow queries delay every query by the set time, then stop', async () => {
    await t.chaos('PUT', { slowQueryMs: SLOW_MS, cacheEnabled: false });
    const slow = await t.timed('/api/cars/1');
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(SLOW_MS);
    expect(await gauge(t, 'chaos_slow_query_ms')).toBe(SLOW_MS);
    expect(await gauge(t, 'chaos_slow_query_rate')).toBe(1);
    // /health runs no query: chaos in the database does not touch it.
    expect((await t.timed('/health')).ms).toBeLessThan(SLOW_MS);

    // A share of the queries: of 40 concurrent requests (one query each) about half are slow.
    await t.chaos('PUT', { slowQueryMs: SLOW_MS, slowQueryRate: 0.5, cacheEnabled: false });
    const mixed = await Promise.all(Array.from({ length: 40 }, (_, i) => t.timed(`/api/cars/${i + 1}`)));
    const slowCount = mixed.filter((r) => r.ms >= SLOW_MS).length;
    // Binomial(40, 0.5): outside 8..32 with probability about 4e-5.
    expect(slowCount).toBeGreaterThanOrEqual(8);
    expect(slowCount).toBeLessThanOrEqual(32);

    await t.chaos('PUT', { slowQueryMs: SLOW_MS, slowQueryRate: 0, cacheEnabled: false });
    expect((await t.timed('/api/cars/1')).ms).toBeLessThan(SLOW_MS);
    await t.chaos('DELETE');
    expect((await t.timed('/api/cars/2')).ms).toBeLessThan(SLOW_MS);
    expect(await gauge(t, 'chaos_slow_query_ms')).toBe(0);
  });

  it('leaks memory at the set rate up to the cap, and gives it back when switched off', async () => {
    gc();
    const before = process.memoryUsage().heapUsed;
    await t.chaos('PUT', { memoryLeakMbPerSec: 100, memoryLeakCapMb: 40 });
    for (let i = 0; i < 30 && (await gauge(t, 'chaos_memory_leak_retained')) < 40 * MB; i++) await sleep(100);
    expect(await gauge(t, 'chaos_memory_leak_retained')).toBe(40 * MB);
    await sleep(300);
    expect(await gauge(t, 'chaos_memory_leak_retained')).toBe(40 * MB);
    expect(await gauge(t, 'chaos_memory_leak_rate')).toBe(100);
    gc();
    const leaking = process.memoryUsage().heapUsed;
    expect(leaking - before).toBeGreaterThan(35 * MB);

    await t.chaos('DELETE');
    expect(await gauge(t, 'chaos_memory_leak_retained')).toBe(0);
    gc();
    expect(leaking - process.memoryUsage().heapUsed).toBeGreaterThan(35 * MB);
  });

  it('burns the set share of the event loop, and stops', async () => {
    await t.chaos('PUT', { cpuBurn: 0.7 });
    await sleep(50);
    const start = performance.eventLoopUtilization();
    await sleep(600);
    const burning = performance.eventLoopUtilization(start).utilization;
    // The share is the feature. Bounds halfway-ish between 0.7 (burning) and ~0 (idle), generous for
    // late timers on a busy machine, yet a burn that never starts, burns far less, or never stops
    // falls outside them.
    expect(burning).toBeGreaterThan(0.45);
    expect(await gauge(t, 'chaos_cpu_burn')).toBe(0.7);

    await t.chaos('DELETE');
    const after = performance.eventLoopUtilization();
    await sleep(600);
    expect(performance.eventLoopUtilization(after).utilization).toBeLessThan(0.35);
    expect(await gauge(t, 'chaos_cpu_burn')).toBe(0);
  });

  it('applies a pool size too: the target reaches the embedded server through the same pg pool', async () => {
    const configured = await gauge(t, 'chaos_pool_max');
    const applied = await t.chaos('PUT', { poolMax: 5 });
    expect(applied.status).toBe(200);
    expect(await gauge(t, 'chaos_pool_max')).toBe(5);
    expect((await t.get('/api/cars/1')).status).toBe(200);
    await t.chaos('DELETE');
    expect(await gauge(t, 'chaos_pool_max')).toBe(configured);
  });
});

describe('pool size chaos on PostgreSQL', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase('chaos_pool');
    t = await startTestApp({ databaseUrl: database.url, dbPoolMax: 6, dbPoolMin: 0 });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  /** Connections in use and queries queued while 8 slow requests run at once. */
  async function underLoad() {
    const requests = Array.from({ length: 8 }, (_, i) => t.get(`/api/cars/${i + 1}`));
    await sleep(200);
    const pool = { pool_name: 'postgresql' };
    const seen = {
      max: await gauge(t, 'db_client_connection_max', pool),
      used: await gauge(t, 'db_client_connection_count', { ...pool, state: 'used' }),
      pending: await gauge(t, 'db_client_connection_pending_requests', pool),
    };
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    return seen;
  }

  /** Every connection of a pool of `size` in use, the rest of the 8 requests queued. */
  function expectSaturated(seen: { max: number; used: number; pending: number }, size: number) {
    expect(seen.max).toBe(size);
    // Background work (the e-mail outbox) may hold one more connection, possibly in a draining pool.
    expect(seen.used).toBeGreaterThanOrEqual(size);
    expect(seen.used).toBeLessThanOrEqual(size + 1);
    expect(seen.pending).toBeGreaterThanOrEqual(8 - size);
  }

  it('swaps in a pool of the asked size, drains the old one, and returns to the configured size', async () => {
    await t.chaos('PUT', { slowQueryMs: 500, cacheEnabled: false });
    expectSaturated(await underLoad(), 6);

    const resized = await t.chaos('PUT', { slowQueryMs: 500, cacheEnabled: false, poolMax: 2 });
    expect(resized).toMatchObject({ status: 200, body: { poolMax: 2 } });
    expect(await gauge(t, 'chaos_pool_max')).toBe(2);
    expectSaturated(await underLoad(), 2);

    await t.chaos('PUT', { slowQueryMs: 500, cacheEnabled: false });
    expect(await gauge(t, 'chaos_pool_max')).toBe(6);
    expectSaturated(await underLoad(), 6);
    await t.chaos('DELETE');
    expect((await t.get('/api/cars/9')).status).toBe(200);
  });
});
