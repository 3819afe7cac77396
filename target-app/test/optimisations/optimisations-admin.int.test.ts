// /admin/optimisations over HTTP against the real app on PostgreSQL: the admin token, validation (a
// refused change changes nothing), partial changes, the before-plan preset, reset to the start
// values, and how changes are exported (gauges on /metrics and OTLP, a span event per switch).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEFORE_PLAN } from '../../src/optimisations/optimisations.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { decodeMetrics, decodeSpans } from '../support/otlp-decode.ts';
import { promValue } from '../support/redis.ts';
import { optimisations } from '../support/target-optimisations.ts';
import { eventually, startTestApp, TEST_TOKEN, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let database: TestDatabase;
const call = (method: 'GET' | 'PUT' | 'DELETE', body?: unknown, token?: string | null) =>
  optimisations(t.url, method, body, token);

const START = {
  responseCache: true,
  redisL2: true,
  tokenValidationCache: true,
  bcryptCost: 4,
  emailDelivery: 'queued',
  searchCountReuse: true,
  poolSize: 6,
  rateLimiting: true,
};

beforeAll(async () => {
  database = await createTestDatabase('optimisations_admin');
  t = await startTestApp({ databaseUrl: database.url, authBcryptCost: 4, dbPoolMax: 6, dbPoolMin: 0 });
});

afterAll(async () => {
  await t?.close();
  await database?.drop();
});

describe('/admin/optimisations', () => {
  it('needs the admin token for every method and changes nothing without it', async () => {
    for (const token of [null, 'wrong-token-123']) {
      expect((await call('GET', undefined, token)).status).toBe(401);
      const put = await call('PUT', { responseCache: false }, token);
      expect(put.status).toBe(401);
      expect(put.body.error).toMatch(/admin token/);
      expect((await call('DELETE', undefined, token)).status).toBe(401);
    }
    expect((await call('GET')).body.current).toEqual(START);
  });

  it('reads the values in force and at start, the preset and how the switches apply', async () => {
    const { status, body } = await call('GET');
    expect(status).toBe(200);
    expect(body).toMatchObject({ current: START, start: START, presets: { 'before-plan': BEFORE_PLAN } });
    expect(body.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^poolSize applies at once: a new pool of 6 connections/),
        'redisL2 has no effect: REDIS_URL is unset (L1 only)',
      ]),
    );
  });

  it('refuses bad input with 400 naming each field, and nothing changes', async () => {
    const cases: [unknown, string[]][] = [
      [{ responseCache: 'no' }, ['responseCache']],
      [{ bcryptCost: 3 }, ['bcryptCost']],
      [{ bcryptCost: 16, poolSize: 0 }, ['bcryptCost', 'poolSize']],
      [{ bcryptCost: 7.5 }, ['bcryptCost']],
      [{ emailDelivery: 'later' }, ['emailDelivery']],
      [{ preset: 'after-plan' }, ['preset']],
      [{ responseCache: false, cacheEnabled: false }, ['cacheEnabled']],
      [{ current: { responseCache: false } }, ['current']],
      [[], ['(root)']],
    ];
    for (const [body, paths] of cases) {
      const reply = await call('PUT', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error).toBe('invalid optimisation settings');
      expect(reply.body.issues?.map((i) => i.path)).toEqual(paths);
    }
    const unknown = await call('PUT', { cacheEnabled: false });
    expect(unknown.body.issues).toEqual([{ path: 'cacheEnabled', message: 'unknown field' }]);
    const cost = await call('PUT', { bcryptCost: 20 });
    expect(cost.body.issues).toEqual([{ path: 'bcryptCost', message: 'must be at most 15' }]);
    expect((await call('PUT', '{not json')).status).toBe(400);
    const after = await call('GET');
    expect(after.body.current).toEqual(START);
    expect(promValue(await (await fetch(`${t.url}/metrics`)).text(), 'optimisation_changes_total', {})).toBe(
      0,
    );
  });

  it('changes only the switches given, applies the before-plan preset, and DELETE restores the start', async () => {
    const partial = await call('PUT', { bcryptCost: 6, emailDelivery: 'inline' });
    expect(partial.status).toBe(200);
    expect(partial.body.current).toEqual({ ...START, bcryptCost: 6, emailDelivery: 'inline' });
    expect(partial.body.start).toEqual(START);

    const before = await call('PUT', { preset: 'before-plan' });
    expect(before.body.current).toEqual(BEFORE_PLAN);
    expect(before.body.notes).toContain(
      'redisL2 and searchCountReuse act through the response cache, which is off',
    );
    // The rate limits' own resource shows the same switch.
    const limits = await t.get<{ enabled: boolean }>('/admin/rate-limits', {
      authorization: `Bearer ${TEST_TOKEN}`,
    });
    expect(limits.body.enabled).toBe(false);

    const onTop = await call('PUT', { preset: 'before-plan', responseCache: true });
    expect(onTop.body.current).toEqual({ ...BEFORE_PLAN, responseCache: true });

    const reset = await call('DELETE');
    expect(reset.status).toBe(200);
    expect(reset.body.current).toEqual(START);
    expect((await call('GET')).body.current).toEqual(START);
  });

  it('exports each switch as a gauge, counts changes by switch, and marks them on the request span', async () => {
    const traceId = `${'0'.repeat(8)}${'e'.repeat(24)}`;
    const response = await fetch(`${t.url}/admin/optimisations`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'content-type': 'application/json',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ bcryptCost: 5, tokenValidationCache: false }),
    });
    expect(response.status).toBe(200);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(promValue(metrics, 'optimisation_bcrypt_cost', {})).toBe(5);
    expect(promValue(metrics, 'optimisation_token_validation_cache', {})).toBe(0);
    expect(promValue(metrics, 'optimisation_response_cache', {})).toBe(1);
    expect(promValue(metrics, 'optimisation_changes_total', { switch: 'bcryptCost' })).toBeGreaterThan(0);

    const span = await eventually(() =>
      t.receiver.bodies.traces
        .flatMap((b) => decodeSpans(b))
        .find((s) => s.traceId === traceId && s.kind === 2),
    );
    expect(span.events).toEqual(
      expect.arrayContaining([
        {
          name: 'optimisation.changed',
          attributes: {
            'optimisation.switch': 'bcryptCost',
            'optimisation.from': '4',
            'optimisation.to': '5',
          },
        },
        {
          name: 'optimisation.changed',
          attributes: {
            'optimisation.switch': 'tokenValidationCache',
            'optimisation.from': 'true',
            'optimisation.to': 'false',
          },
        },
      ]),
    );
    const gauge = await eventually(() =>
      t.receiver.bodies.metrics
        .flatMap((b) => decodeMetrics(b))
        .filter((m) => m.name === 'optimisation.bcrypt_cost')
        .flatMap((m) => m.points)
        .find((p) => p.value === 5),
    );
    expect(gauge.value).toBe(5);
    await call('DELETE');
  });

  it('is described in /openapi.json with the admin token scheme and the validated body', async () => {
    type Operation = {
      security?: unknown[];
      requestBody?: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } };
      responses: Record<string, unknown>;
    };
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const ops = doc.paths['/admin/optimisations'];
    expect(Object.keys(ops ?? {}).sort()).toEqual(['delete', 'get', 'put']);
    expect(ops?.put?.security).toEqual([{ adminToken: [] }]);
    const body = ops?.put?.requestBody?.content['application/json'].schema.properties;
    expect(body?.bcryptCost).toMatchObject({ type: 'integer', minimum: 4, maximum: 15 });
    expect(body?.preset).toMatchObject({ enum: ['before-plan', 'start'] });
    expect(Object.keys(ops?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401']));
    // Only the described admin routes appear: chaos and rate limits stay out.
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin'))).toEqual(['/admin/optimisations']);
  });
});
