// Issue 15 item 5: with NODE_ENV=production the public default admin token (or any short one) must not
// open chaos, rate limits or the price changer. The attack: a production target started without its own
// ADMIN_TOKEN, driven with `Authorization: Bearer dev-admin-token`. Also on PostgreSQL, like the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_TOKEN } from '../../src/env.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const JWT_SECRET = 'admin-token-test-jwt-secret-of-32-characters';
const STRONG_TOKEN = 'a-production-admin-token-of-more-than-32-characters';
const ENGINES = ['pglite', 'postgresql'] as const;

const ADMIN_CHANGES = [
  { path: '/admin/chaos', body: { errorRate: 1 } },
  { path: '/admin/rate-limits', body: { enabled: false } },
  { path: '/admin/price-changer', body: { enabled: true, intervalMs: 10, changesPerTick: 1000 } },
] as const;

async function admin(url: string, method: 'GET' | 'PUT', path: string, token: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as { error?: string } };
}

describe.each(ENGINES)('admin token in production on %s', (engine) => {
  let database: TestDatabase | undefined;
  const apps: TestApp[] = [];
  const start = async (adminToken: string) => {
    const app = await startTestApp({
      nodeEnv: 'production',
      jwtSecret: JWT_SECRET,
      adminToken,
      logLevel: 'fatal', // the refusal is logged at error level; main.int.test.ts reads that line
      ...(database === undefined ? {} : { databaseUrl: database.url }),
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    if (engine === 'postgresql') database = await createTestDatabase('admin_token');
  });

  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    await database?.drop();
  });

  it('refuses the public default: every admin route answers 503 with the reason, nothing changes', async () => {
    const t = await start(DEFAULT_ADMIN_TOKEN);
    for (const { path, body } of ADMIN_CHANGES) {
      const changed = await admin(t.url, 'PUT', path, DEFAULT_ADMIN_TOKEN, body);
      expect(changed.status, path).toBe(503);
      expect(changed.body.error).toMatch(/admin API off: ADMIN_TOKEN is the public development default/);
      expect((await admin(t.url, 'GET', path, DEFAULT_ADMIN_TOKEN)).status).toBe(503);
    }
    // The API under test still serves, untouched by chaos.
    for (let i = 0; i < 5; i++) expect((await t.get('/api/cars/1')).status).toBe(200);
  });

  it('refuses a token shorter than 32 characters', async () => {
    const short = 'only-31-characters-long-token!!';
    expect(short).toHaveLength(31);
    const t = await start(short);
    const changed = await admin(t.url, 'PUT', '/admin/chaos', short, { errorRate: 1 });
    expect(changed).toMatchObject({ status: 503, body: { error: expect.stringMatching(/shorter than 32/) } });
    expect((await t.get('/api/cars/1')).status).toBe(200);
  });

  it('opens the admin API to a long token, and only to that token', async () => {
    const t = await start(STRONG_TOKEN);
    expect((await admin(t.url, 'PUT', '/admin/chaos', DEFAULT_ADMIN_TOKEN, { errorRate: 1 })).status).toBe(
      401,
    );
    expect((await admin(t.url, 'GET', '/admin/chaos', STRONG_TOKEN)).status).toBe(200);
    expect((await admin(t.url, 'GET', '/admin/rate-limits', STRONG_TOKEN)).status).toBe(200);
  });
});
