// Rate limits per client and endpoint class through Fastify inject (so the remote address can be a
// non-loopback one), with counters in-process (PGlite) and in Redis (PostgreSQL): IETF RateLimit-*
// headers, 429 with Retry-After, the loopback allowlist, per-user keys, and the admin switches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTargetApp, type TargetApp } from '../../src/start.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { closedPort, connectTestRedis, deleteKeys, promValue, TEST_REDIS_URL } from '../support/redis.ts';
import { TEST_CAR_COUNT, TEST_SEED, TEST_TOKEN } from '../support/test-app.ts';

const SETUPS = [
  { engine: 'pglite', redis: false },
  { engine: 'postgresql', redis: true },
] as const;

let nextIp = 10;
/** A documentation-range address (TEST-NET-3) no other test uses. */
const freshIp = () => `203.0.113.${nextIp++}`;

function options(prefix: string, extra: Record<string, unknown> = {}) {
  return {
    port: 0,
    carCount: TEST_CAR_COUNT,
    carSeed: TEST_SEED,
    adminToken: TEST_TOKEN,
    telemetryEnabled: false,
    logLevel: 'error' as const,
    authBcryptCost: 4,
    priceChangerEnabled: false,
    cacheKeyPrefix: prefix,
    ...extra,
  };
}

describe.each(SETUPS)('rate limits on $engine (redis: $redis)', (setup) => {
  let app: TargetApp;
  let database: TestDatabase | undefined;
  const prefix = `ta-rl-${process.pid}-${setup.engine}:`;
  const backing = () => ({
    ...(database === undefined ? {} : { databaseUrl: database.url }),
    ...(setup.redis ? { redisUrl: TEST_REDIS_URL } : {}),
  });

  const request = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    from: string,
    extra: { body?: object; token?: string; on?: TargetApp } = {},
  ) => {
    const response = await (extra.on ?? app).inject({
      method,
      url,
      remoteAddress: from,
      headers: extra.token === undefined ? {} : { authorization: `Bearer ${extra.token}` },
      ...(extra.body === undefined ? {} : { payload: extra.body }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.json() as Record<string, unknown>,
    };
  };
  const login = (from: string, on?: TargetApp) =>
    request('POST', '/api/auth/login', from, {
      body: { email: 'nobody@example.com', password: 'whatever' },
      ...(on === undefined ? {} : { on }),
    });
  const admin = (method: 'GET' | 'PUT' | 'DELETE', body?: object, token: string | null = TEST_TOKEN) =>
    app.inject({
      method,
      url: '/admin/rate-limits',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body }),
    });

  beforeAll(async () => {
    if (setup.engine === 'postgresql') database = await createTestDatabase('rate_limits');
    app = await startTargetApp(options(prefix, backing()));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    if (setup.redis) {
      const redis = await connectTestRedis();
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
  });

  it('allows 5 auth requests a minute per IP, then answers 429 with Retry-After and RateLimit headers', async () => {
    const ip = freshIp();
    const allowed = [];
    for (let i = 0; i < 5; i++) allowed.push(await login(ip));
    expect(allowed.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(allowed.map((r) => r.headers['ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0']);
    expect(allowed[0]?.headers['ratelimit-limit']).toBe('5');
    const reset = Number(allowed[0]?.headers['ratelimit-reset']);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);

    const refused = await login(ip);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/application\/json/);
    expect(refused.body.error).toMatch(/^rate limit exceeded: 5 auth requests per 60 s/);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-remaining']).toBe('0');

    // Other classes and other clients have counters of their own.
    expect((await request('GET', '/api/cars?pageSize=1', ip)).status).toBe(200);
    expect((await request('GET', '/api/cars?pageSize=1', ip)).headers['ratelimit-limit']).toBe('50');
    expect((await request('GET', '/api/cars/1', ip)).headers['ratelimit-limit']).toBe('100');
    expect((await login(freshIp())).status).toBe(401);
  });

  it('never limits loopback clients (the default allowlist), nor /health and /metrics', async () => {
    for (const loopback of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      for (let i = 0; i < 7; i++) {
        const reply = await login(loopback);
        expect(reply.status).toBe(401);
        expect(reply.headers['ratelimit-limit']).toBeUndefined();
      }
    }
    const ip = freshIp();
    for (let i = 0; i < 120; i++)
      expect((await app.inject({ url: '/health', remoteAddress: ip })).statusCode).toBe(200);
  });

  it('limits a signed-in client by user id, whichever address it calls from', async () => {
    const home = freshIp();
    const email = `rl-${process.pid}-${setup.engine}@example.com`;
    const password = 'correct horse battery';
    expect(
      (await request('POST', '/api/auth/register', '127.0.0.1', { body: { email, password } })).status,
    ).toBe(201);
    const token = String(
      (await request('POST', '/api/auth/login', '127.0.0.1', { body: { email, password } })).body.accessToken,
    );
    expect((await admin('PUT', { limits: { api: { max: 3, windowSeconds: 60 } } })).statusCode).toBe(200);
    try {
      for (let i = 0; i < 3; i++)
        expect((await request('GET', '/api/favourites', home, { token })).status).toBe(200);
      expect((await request('GET', '/api/favourites', freshIp(), { token })).status).toBe(429);
      // The same addresses without the token are other clients.
      expect((await request('GET', '/api/cars/1', home)).status).toBe(200);
    } finally {
      await admin('DELETE');
    }
  });

  it('switches limits, on/off and the allowlist at run time through the admin API, shown as gauges', async () => {
    expect((await admin('GET', undefined, null)).statusCode).toBe(401);
    expect((await admin('PUT', { enabled: false }, 'wrong-token')).statusCode).toBe(401);

    const invalid = await admin('PUT', {
      allowlist: ['intranet'],
      limits: { auth: { max: 0, windowSeconds: 60 } },
      x: 1,
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().issues).toEqual([
      { path: 'allowlist.0', message: 'must be an IP address or CIDR such as 10.0.0.0/8' },
      { path: 'limits.auth.max', message: 'must be at least 1' },
      { path: 'x', message: 'unknown field' },
    ]);

    try {
      const changed = await admin('PUT', { limits: { auth: { max: 2, windowSeconds: 30 } } });
      expect(changed.json()).toMatchObject({
        enabled: true,
        limits: { auth: { max: 2, windowSeconds: 30 } },
      });
      const ip = freshIp();
      expect([(await login(ip)).status, (await login(ip)).status, (await login(ip)).status]).toEqual([
        401, 401, 429,
      ]);
      const metrics = (await app.inject({ url: '/metrics' })).body;
      expect(promValue(metrics, 'rate_limit_max_requests', { class: 'auth' })).toBe(2);
      expect(promValue(metrics, 'rate_limit_window_seconds', { class: 'auth' })).toBe(30);
      expect(promValue(metrics, 'rate_limit_rejected_total', { class: 'auth' })).toBeGreaterThan(0);

      await admin('PUT', { enabled: false });
      expect(promValue((await app.inject({ url: '/metrics' })).body, 'rate_limit_enabled', {})).toBe(0);
      for (let i = 0; i < 8; i++) expect((await login(ip)).status).toBe(401);

      // An allowlist without loopback: a CIDR is exempt, loopback is now limited.
      await admin('PUT', { allowlist: ['198.51.100.0/24'], limits: { auth: { max: 1, windowSeconds: 60 } } });
      for (let i = 0; i < 3; i++) expect((await login('198.51.100.77')).status).toBe(401);
      expect([(await login('127.0.0.1')).status, (await login('127.0.0.1')).status]).toEqual([401, 429]);
    } finally {
      const reset = await admin('DELETE');
      expect(reset.json()).toMatchObject({ enabled: true, allowlist: ['127.0.0.1', '::1'] });
    }
    expect(promValue((await app.inject({ url: '/metrics' })).body, 'rate_limit_enabled', {})).toBe(1);
  });

  if (setup.redis) {
    it('shares counters between instances through Redis', async () => {
      const second = await startTargetApp(options(prefix, backing()));
      try {
        const ip = freshIp();
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await login(ip, i % 2 === 0 ? app : second)).status);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
        const redis = await connectTestRedis();
        try {
          expect(await redis.keys(`${prefix}rate-limit:auth:ip:${ip}`)).toHaveLength(1);
        } finally {
          redis.disconnect();
        }
      } finally {
        await second.close();
      }
    });

    it('keeps limiting in-process while Redis is unreachable', async () => {
      const down = await startTargetApp(
        options(`${prefix}down:`, { ...backing(), redisUrl: `redis://127.0.0.1:${await closedPort()}` }),
      );
      try {
        const ip = freshIp();
        const statuses = [];
        for (let i = 0; i < 6; i++) statuses.push((await login(ip, down)).status);
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      } finally {
        await down.close();
      }
    });
  }
});
