// The dashboard's API against the real parts it runs on: the services the all-in-one process
// builds (embedded chDB, the OTLP collector, the launcher, the alert engine with the repo's
// rules), called through tRPC exactly as the route handler does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET, POST } from '../../src/app/api/trpc/[trpc]/route.ts';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { registerServices, unregisterServices } from '../../src/server/services.ts';
import { untilQueueDrained } from '../support/stored.ts';
import { signInCookie, TEST_USERS, testUsersEnv } from '../support/users.ts';

const TARGET = 'http://127.0.0.1:9';
let dir: string;
let running: RunningServices;
let api: ReturnType<typeof createCaller>;
/** The Cookie header of a signed-in qa user, for calls through the route handler. */
let qaCookie: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-api-'));
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    COLLECTOR_PORT: '0',
    TARGET_URL: TARGET,
    PORT: '0',
    DASHBOARD_USERS: await testUsersEnv(),
  });
  running = await startServices(env, () => undefined);
  registerServices(running.services);
  api = createCaller({
    services: running.services,
    headers: new Headers(),
    user: { name: 'quinn', role: 'qa' },
  });
  const qa = TEST_USERS[1];
  qaCookie = await signInCookie(POST, qa.name, qa.password);
});

afterAll(async () => {
  unregisterServices();
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One delta histogram point of the target's HTTP server duration, sent as OTLP/JSON. */
async function sendRequests(atMs: number, count: number, errors: number) {
  const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
  const point = (status: number, n: number) => ({
    startTimeUnixNano: ns(atMs - 1000),
    timeUnixNano: ns(atMs),
    count: String(n),
    sum: n * 0.03,
    bucketCounts: ['0', String(n), '0', '0'],
    explicitBounds: [0.01, 0.05, 0.1],
    attributes: [
      { key: 'http.route', value: { stringValue: '/api/cars' } },
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'http.response.status_code', value: { intValue: String(status) } },
    ],
  });
  const body = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'car-suggester' } }] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              {
                name: 'http.server.request.duration',
                unit: 's',
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: [point(200, count - errors), point(503, errors)],
                },
              },
            ],
          },
        ],
      },
    ],
  };
  const res = await fetch(`${running.collector?.url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

async function first<T>(iterable: AsyncIterable<T>): Promise<T> {
  for await (const value of iterable) return value;
  throw new Error('the stream ended without a value');
}

describe('runs', () => {
  it('offers the scenario catalogue and the target allowlist', async () => {
    const catalogue = await api.runs.catalogue();
    expect(catalogue.targets).toEqual([TARGET]);
    expect(catalogue.scenarios.map((s) => s.name)).toContain('smoke');
  });

  it('refuses a launch outside the allowlist or limits, naming each field, and starts nothing', async () => {
    const res = await POST(
      new Request('http://dashboard/api/trpc/runs.launch', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: qaCookie, 'x-trpc-source': 'test' },
        body: JSON.stringify({
          scenario: 'smoke',
          params: { vus: 500, duration: '5s', target: 'http://example.com' },
        }),
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { data: { code: string; issues: { field: string; message: string }[] } };
    };
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.data.issues).toEqual([
      { field: 'vus', message: 'must be at most 50' },
      { field: 'target', message: 'http://example.com is not in the allowed targets' },
    ]);
    expect((await api.runs.list()).runs).toEqual([]);
  });
});

describe('metrics', () => {
  it('says "no data" (null), not 0, before the target has sent anything', async () => {
    const snapshot = await first(await api.metrics.traffic({ range: '5m' }));
    expect(snapshot.error).toBeNull();
    expect(snapshot.points).toHaveLength(60);
    expect(snapshot.points.every((p) => p.p95Ms === null && p.errorRate === null)).toBe(true);
    expect(snapshot.current).toMatchObject({
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      p95RangeMs: null,
      errorRate: null,
    });
  });

  it('charts what the collector stored: latency in ms, rate and 5xx share', async () => {
    const now = Date.now();
    await sendRequests(now - 20_000, 100, 5);
    await untilQueueDrained(running.collector!);
    // Viewers share a snapshot for one refresh interval (2 s), so new data shows within one.
    let snapshot = await first(await api.metrics.traffic({ range: '5m' }));
    await expect
      .poll(
        async () => {
          snapshot = await first(await api.metrics.traffic({ range: '5m' }));
          return snapshot.points.filter((p) => p.p95Ms !== null).length;
        },
        { timeout: 5000, interval: 500 },
      )
      .toBe(1);
    const withData = snapshot.points.filter((p) => p.p95Ms !== null);
    expect(withData).toHaveLength(1);
    expect(withData[0]?.p95Ms).toBeGreaterThan(10);
    expect(withData[0]?.p95Ms).toBeLessThanOrEqual(50);
    expect(withData[0]?.rate).toBeCloseTo(100 / 5);
    expect(withData[0]?.errorRate).toBeCloseTo(0.05);
    expect(snapshot.current.p95Ms).toBeGreaterThan(10);
    // An estimate from the buckets: every request fell in (10, 50] ms, which bounds it.
    expect(snapshot.current.p95RangeMs).toEqual([expect.closeTo(10), expect.closeTo(50)]);
    expect(snapshot.current.reqRate).toBeCloseTo(100 / 60);
    expect(snapshot.current.errorRate).toBeCloseTo(0.05);
  });
});

describe('alerts', () => {
  it("lists the repo's rules with their current state", async () => {
    await running.services.alerts.evaluateOnce();
    const snapshot = await first(await api.alerts.live());
    expect(snapshot.error).toBeNull();
    expect(snapshot.rules.map((r) => r.name)).toEqual(
      expect.arrayContaining(['TargetHighLatencyP95', 'TargetHighErrorRatio']),
    );
    const latency = snapshot.rules.find((r) => r.name === 'TargetHighLatencyP95');
    expect(latency?.condition).toBe('p95(http.server.request.duration) over 5s > 200 ms');
    expect(latency?.lastEvalAt).not.toBeNull();
  });

  it('streams snapshots to the browser over SSE', async () => {
    const controller = new AbortController();
    const res = await GET(
      new Request('http://dashboard/api/trpc/alerts.live', {
        signal: controller.signal,
        headers: { cookie: qaCookie },
      }),
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!/\ndata: \{"at"/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    expect(text).toContain('TargetHighLatencyP95');
  });
});
