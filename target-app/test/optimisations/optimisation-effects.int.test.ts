// Each optimisation switch changes what the real app does, on PostgreSQL with Redis: observed through
// the app's own records (DB spans of a request's trace, cache and token counters, Redis keys, the
// stored hash, the mail webhook and outbox, the pool gauge, 429s), never through timing.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp, uniqueEmail } from '../auth/auth-client.ts';
import { startMailbox } from '../auth/mailbox.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { decodeSpans } from '../support/otlp-decode.ts';
import { connectTestRedis, deleteKeys, promValue, TEST_REDIS_URL } from '../support/redis.ts';
import { optimisations } from '../support/target-optimisations.ts';
import { eventually, startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let database: TestDatabase;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;
let redis: Awaited<ReturnType<typeof connectTestRedis>>;
const prefix = `ta-opt-${process.pid}:`;
const set = async (body: unknown) => {
  const reply = await optimisations(t.url, 'PUT', body);
  expect(reply.status).toBe(200);
  return reply.body;
};
const metrics = async () => (await fetch(`${t.url}/metrics`)).text();

async function sql<T>(text: string, values: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

let traceNo = 0;
/** GET under a trace of its own: the DB queries it ran (client spans), by statement text. */
async function traced(path: string): Promise<string[]> {
  traceNo += 1;
  const traceId = `${String(traceNo).padStart(8, '0')}${'a'.repeat(24)}`;
  const response = await fetch(`${t.url}${path}`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  const spans = await eventually(() => {
    const found = t.receiver.bodies.traces
      .flatMap((b) => decodeSpans(b))
      .filter((s) => s.traceId === traceId);
    return found.some((s) => s.kind === 2) ? found : undefined;
  });
  return spans
    .filter((s) => s.attributes['db.system.name'] === 'postgresql')
    .map((s) => String(s.attributes['db.query.text'] ?? ''));
}
const isCount = (text: string) => text.startsWith('SELECT count(*)::integer AS total');

beforeAll(async () => {
  mailbox = await startMailbox();
  redis = await connectTestRedis();
  database = await createTestDatabase('optimisation_effects');
  t = await startTestApp({
    databaseUrl: database.url,
    redisUrl: TEST_REDIS_URL,
    cacheKeyPrefix: prefix,
    authBcryptCost: 4,
    mailWebhookUrl: mailbox.url,
    rateLimitSearchPerMinute: 2,
    dbPoolMax: 8,
    dbPoolMin: 0,
  });
});

afterEach(async () => {
  mailbox.release();
  expect((await optimisations(t.url, 'DELETE')).status).toBe(200);
});

afterAll(async () => {
  mailbox?.release();
  await t?.close();
  await mailbox?.close();
  await database?.drop();
  if (redis !== undefined) {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
});

describe('optimisation switches change behaviour', () => {
  it('responseCache off: a repeated search reads the database every time', async () => {
    const on = 'bodyType=sedan&maxPrice=40000';
    expect((await traced(`/api/cars?${on}`)).length).toBeGreaterThan(0);
    expect(await traced(`/api/cars?${on}`)).toEqual([]);
    await set({ responseCache: false });
    const off = 'bodyType=sedan&maxPrice=40001';
    for (let i = 0; i < 3; i += 1) expect((await traced(`/api/cars?${off}`)).length).toBeGreaterThan(0);
    // Also what was cached before is no longer served from the cache.
    expect((await traced(`/api/cars?${on}`)).length).toBeGreaterThan(0);
  });

  it('redisL2 off: cached values stay in L1, nothing is written to or read from Redis', async () => {
    const l2Misses = async () =>
      promValue(await metrics(), 'cache_misses_total', { level: 'l2', kind: 'car' });
    await t.get('/api/cars/17');
    expect(await redis.exists(`${prefix}car:17`)).toBe(1);
    await set({ redisL2: false });
    const missesBefore = await l2Misses();
    await t.get('/api/cars/18');
    expect(await redis.exists(`${prefix}car:18`)).toBe(0);
    expect(await l2Misses()).toBe(missesBefore);
    // L1 still answers: the second read runs no query.
    expect(await traced('/api/cars/18')).toEqual([]);
    await set({ redisL2: true });
    await t.get('/api/cars/19');
    expect(await redis.exists(`${prefix}car:19`)).toBe(1);
  });

  it('tokenValidationCache off: every request verifies its token again', async () => {
    const user = await signUp(t.url, 'opt-token');
    const read = async () => {
      const text = await metrics();
      return {
        hits: promValue(text, 'auth_token_cache_hits_total', {}),
        misses: promValue(text, 'auth_token_cache_misses_total', {}),
      };
    };
    const me = async () =>
      expect((await call(t.url, 'GET', '/api/auth/me', { token: user.accessToken })).status).toBe(200);
    await me();
    const cachedBefore = await read();
    for (let i = 0; i < 3; i += 1) await me();
    const cachedAfter = await read();
    expect(cachedAfter.hits - cachedBefore.hits).toBe(3);
    expect(cachedAfter.misses - cachedBefore.misses).toBe(0);
    await set({ tokenValidationCache: false });
    for (let i = 0; i < 3; i += 1) await me();
    const off = await read();
    expect(off.hits - cachedAfter.hits).toBe(0);
    expect(off.misses - cachedAfter.misses).toBe(3);
  });

  it('bcryptCost: new hashes carry the new cost, and hashes of the old cost keep verifying', async () => {
    const hashOf = async (email: string) =>
      (await sql<{ hash: string }>('SELECT password_hash AS hash FROM users WHERE email = $1', [email]))[0]
        ?.hash;
    const before = await signUp(t.url, 'opt-cost-4');
    expect(await hashOf(before.email)).toMatch(/^\$2b\$04\$/);
    await set({ bcryptCost: 6 });
    const email = uniqueEmail('opt-cost-6');
    expect(
      (await call(t.url, 'POST', '/api/auth/register', { body: { email, password: 'long enough 6' } }))
        .status,
    ).toBe(201);
    expect(await hashOf(email)).toMatch(/^\$2b\$06\$/);
    const login = await call(t.url, 'POST', '/api/auth/login', {
      body: { email: before.email, password: before.password },
    });
    expect(login.status).toBe(200);
  });

  it('emailDelivery inline: register answers only after the mail was sent; queued answers before', async () => {
    const outbox = async (email: string) =>
      (
        await sql<{ delivered: boolean }>(
          'SELECT delivered_at IS NOT NULL AS delivered FROM email_outbox WHERE recipient = $1',
          [email],
        )
      )[0];
    mailbox.hold();
    const queued = uniqueEmail('opt-queued');
    const queuedReply = await call(t.url, 'POST', '/api/auth/register', {
      body: { email: queued, password: 'long enough 1' },
    });
    expect(queuedReply.status).toBe(201);
    // Answered while the webhook still holds the delivery: not delivered yet.
    expect((await outbox(queued))?.delivered).toBe(false);
    mailbox.release();
    await eventually(() => (mailbox.received.some((m) => m.to === queued) ? true : undefined));

    await set({ emailDelivery: 'inline' });
    mailbox.hold();
    const inline = uniqueEmail('opt-inline');
    let answered = false;
    const reply = call(t.url, 'POST', '/api/auth/register', {
      body: { email: inline, password: 'long enough 2' },
    }).then((r) => {
      answered = true;
      return r;
    });
    await eventually(() => (mailbox.received.some((m) => m.to === inline) ? true : undefined));
    // The webhook has the mail but has not answered: the request is still waiting for it.
    expect((await call(t.url, 'GET', '/health')).status).toBe(200);
    expect(answered).toBe(false);
    mailbox.release();
    expect((await reply).status).toBe(201);
    expect((await outbox(inline))?.delivered).toBe(true);
    const sent = await sql<{ to: string }>(
      'SELECT delivered_to AS to FROM email_outbox WHERE recipient = $1',
      [inline],
    );
    expect(sent).toEqual([{ to: 'webhook' }]);
  });

  it('searchCountReuse off: each page of the same filters counts its matches again', async () => {
    const filters = 'bodyType=suv&minPrice=15000&maxPrice=55000';
    expect((await traced(`/api/cars?${filters}&page=1`)).filter(isCount)).toHaveLength(1);
    expect((await traced(`/api/cars?${filters}&page=2`)).filter(isCount)).toHaveLength(0);
    await set({ searchCountReuse: false });
    expect((await traced(`/api/cars?${filters}&page=3`)).filter(isCount)).toHaveLength(1);
    expect((await traced(`/api/cars?${filters}&page=4`)).filter(isCount)).toHaveLength(1);
    // Facets count again too instead of reusing the search's count.
    expect((await traced(`/api/cars?${filters}&page=5&facets=true`)).filter(isCount)).toHaveLength(2);
  });

  it('poolSize: a pool of the new size takes the queries, and chaos poolMax overrides it while set', async () => {
    const poolMax = async () =>
      promValue(await metrics(), 'db_client_connection_max', { pool_name: 'postgresql' });
    expect(await poolMax()).toBe(8);
    const body = await set({ poolSize: 3 });
    expect(body.notes?.[0]).toMatch(/^poolSize applies at once: a new pool of 3 connections/);
    expect(await poolMax()).toBe(3);
    expect((await t.get('/api/cars/20')).status).toBe(200);
    expect((await t.chaos('PUT', { poolMax: 5 })).status).toBe(200);
    expect(await poolMax()).toBe(5);
    expect((await optimisations(t.url, 'GET')).body.notes).toContain(
      'chaos poolMax 5 is in force instead of poolSize until chaos is reset',
    );
    await t.chaos('DELETE');
    expect(await poolMax()).toBe(3);
    await optimisations(t.url, 'DELETE');
    expect(await poolMax()).toBe(8);
  });

  it('rateLimiting off: a client over its limit is served', async () => {
    const searchCars = async () =>
      (await t.inject({ method: 'GET', url: '/api/cars?pageSize=1', remoteAddress: '10.7.7.8' })).statusCode;
    expect([await searchCars(), await searchCars(), await searchCars()]).toEqual([200, 200, 429]);
    await set({ rateLimiting: false });
    expect([await searchCars(), await searchCars()]).toEqual([200, 200]);
    await set({ rateLimiting: true });
    expect(await searchCars()).toBe(429);
  });
});
