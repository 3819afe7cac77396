// A search's match count is cached by its filters alone: the other pages, page sizes and sorts of the
// same filters, and their facets, reuse it instead of counting again (at a million cars the count is
// the costly part of a multi-filter search) — with the same totals as a fresh count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { decodeSpans } from '../support/otlp-decode.ts';
import { connectTestRedis, deleteKeys, TEST_REDIS_URL } from '../support/redis.ts';
import { eventually, startTestApp, type TestApp, testCars } from '../support/test-app.ts';

const SETUPS = [
  { engine: 'pglite', redis: false },
  { engine: 'postgresql', redis: true },
] as const;

type Page = { total: number; totalRelation: string; items: { id: number }[] };

describe.each(SETUPS)('search counts on $engine (redis: $redis)', (setup) => {
  let t: TestApp;
  let database: TestDatabase | undefined;
  const prefix = `ta-count-${process.pid}-${setup.engine}:`;
  let traceNo = 0;

  /** GET under a trace of its own; returns the body and the number of count queries it ran. */
  async function search(query: string) {
    traceNo += 1;
    const traceId = `${String(traceNo).padStart(8, '0')}${'c'.repeat(24)}`;
    const response = await fetch(`${t.url}/api/cars?${query}`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Page;
    const spans = await eventually(() => {
      const found = t.receiver.bodies.traces
        .flatMap((b) => decodeSpans(b))
        .filter((s) => s.traceId === traceId);
      return found.some((s) => s.kind === 2) ? found : undefined;
    });
    const counts = spans.filter((s) =>
      String(s.attributes['db.query.text'] ?? '').startsWith('SELECT count(*)::integer AS total'),
    );
    return { body, counts: counts.length };
  }

  beforeAll(async () => {
    if (setup.engine === 'postgresql') database = await createTestDatabase('count_reuse');
    t = await startTestApp({
      cacheKeyPrefix: prefix,
      ...(database === undefined ? {} : { databaseUrl: database.url }),
      ...(setup.redis ? { redisUrl: TEST_REDIS_URL } : {}),
    });
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
    if (setup.redis) {
      const redis = await connectTestRedis();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('counts once per filter set, whatever the page, page size, sort or facets', async () => {
    const filters = 'bodyType=suv&minPrice=10000&maxPrice=60000';
    const expected = testCars.filter((c) => c.bodyType === 'suv' && c.price >= 10_000 && c.price <= 60_000);
    const first = await search(`${filters}&pageSize=10`);
    expect(first.counts).toBe(1);
    expect(first.body.total).toBe(expected.length);
    for (const query of [
      `${filters}&pageSize=10&page=2`,
      `maxPrice=60000&minPrice=10000&bodyType=suv&sort=-year&pageSize=50`,
      `${filters}&facets=true&page=3`,
    ]) {
      const later = await search(query);
      expect(later.counts, query).toBe(0);
      expect(later.body).toMatchObject({ total: expected.length, totalRelation: 'eq' });
    }
    // Other filters are counted afresh.
    const other = await search('bodyType=suv&minPrice=10000&maxPrice=60001');
    expect(other.counts).toBe(1);
  });
});
