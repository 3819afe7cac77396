// Chaos controls over HTTP: the admin token, validation, and the effect on /api requests only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_TOKEN, type TestApp } from '../support/test-app.ts';

let t: TestApp;
// The injected latency is the feature, so this times requests. It is long enough that an
// undelayed request on a busy shared machine stays well under it: `< LATENCY_MS` is a generous
// bound for "not delayed" (speed itself is measured in bench/target-app, not here).
const LATENCY_MS = 1500;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
});

describe('chaos controls', () => {
  it('refuses changes without the admin token and leaves the config alone', async () => {
    const missing = await t.chaos('PUT', { errorRate: 1 }, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.body.error).toMatch(/admin token/);
    expect((await t.chaos('PUT', { errorRate: 1 }, 'wrong-token-123')).status).toBe(401);
    expect((await t.chaos('DELETE', undefined, 'wrong-token-123')).status).toBe(401);
    expect((await t.chaos('GET', undefined, null)).status).toBe(401);
    expect((await t.chaos('GET')).body).toMatchObject({
      latencyMs: 0,
      jitterMs: 0,
      errorRate: 0,
      routes: [],
    });
    expect((await t.get('/api/cars/1')).status).toBe(200);
  });

  it('validates the config: ranges and known routes', async () => {
    const bad = await t.chaos('PUT', { latencyMs: 40_000, errorRate: 2, routes: ['/api/nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path)).toEqual(['latencyMs', 'errorRate']);
    const unknownRoute = await t.chaos('PUT', { routes: ['/api/nope'] });
    expect(unknownRoute).toMatchObject({ status: 400, body: { issues: [{ path: 'routes.0' }] } });
    expect(unknownRoute.body.issues?.[0]?.message).toContain('/api/cars/:id');
    expect((await t.chaos('PUT', '{not json', TEST_TOKEN)).status).toBe(400);
  });

  it('lists the routes chaos may be scoped to: every /api route and nothing else, admin token only', async () => {
    const auth = { authorization: `Bearer ${TEST_TOKEN}` };
    const listed = await t.get<{ routes: string[] }>('/admin/chaos/routes', auth);
    expect(listed.status).toBe(200);
    expect(listed.body.routes).toEqual(expect.arrayContaining(['/api/cars/:id', '/api/makes']));
    expect(listed.body.routes.every((r) => r.startsWith('/api'))).toBe(true);
    // Each listed route is accepted as a scope.
    expect((await t.chaos('PUT', { routes: listed.body.routes })).status).toBe(200);
    await t.chaos('DELETE');
    expect((await t.get('/admin/chaos/routes')).status).toBe(401);
  });

  it('adds latency to /api requests only, fails them at errorRate 1, and DELETE resets', async () => {
    try {
      const set = await t.chaos('PUT', { latencyMs: LATENCY_MS });
      expect(set).toMatchObject({
        status: 200,
        body: { latencyMs: LATENCY_MS, jitterMs: 0, errorRate: 0, routes: [] },
      });
      expect((await t.chaos('GET')).body).toMatchObject({ latencyMs: LATENCY_MS });
      const slow = await t.timed('/api/cars/1');
      expect(slow.status).toBe(200);
      expect(slow.ms).toBeGreaterThanOrEqual(LATENCY_MS);
      expect((await t.timed('/health')).ms).toBeLessThan(LATENCY_MS);

      await t.chaos('PUT', { errorRate: 1 });
      for (let i = 0; i < 5; i++) {
        expect(await t.get('/api/cars/1')).toMatchObject({
          status: 500,
          body: { error: 'chaos: injected error' },
        });
      }
      expect((await t.get('/health')).status).toBe(200);
      expect((await fetch(`${t.url}/metrics`)).status).toBe(200);
      expect((await t.get('/api/makes')).status).toBe(500);

      await t.chaos('PUT', { errorRate: 1, routes: ['/api/makes'] });
      expect((await t.get('/api/makes')).status).toBe(500);
      expect((await t.get('/api/cars/1')).status).toBe(200);

      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      expect(metrics).toMatch(/^chaos_error_rate 1$/m);
    } finally {
      const reset = await t.chaos('DELETE');
      expect(reset).toMatchObject({
        status: 200,
        body: { latencyMs: 0, jitterMs: 0, errorRate: 0, routes: [] },
      });
    }
    const after = await t.timed('/api/cars/1');
    expect(after.status).toBe(200);
    expect(after.ms).toBeLessThan(LATENCY_MS);
    expect((await t.get('/api/makes')).status).toBe(200);
  });
});
