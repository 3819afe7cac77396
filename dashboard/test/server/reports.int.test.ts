import { RUNS_TABLE, runToRow } from 'load-tests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as exportRun } from '../../src/app/api/runs/[id]/export/route.ts';
import { POST } from '../../src/app/api/trpc/[trpc]/route.ts';
import type { SessionUser } from '../../src/lib/roles.ts';
import type { RunningServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { registerServices, unregisterServices } from '../../src/server/services.ts';
import { postOtlp } from '../support/otlp.ts';
import { type StoreServices, startStoreServices } from '../support/store-services.ts';
import { untilQueueDrained } from '../support/stored.ts';
import { signInCookie, TEST_USERS, testUsersEnv } from '../support/users.ts';
import { fast, k6Body, slow, steps } from './reports-fixtures.ts';

let store: StoreServices;
let running: RunningServices;
const as = (user: SessionUser) => createCaller({ services: running.services, headers: new Headers(), user });
const viewer = () => as({ name: 'vera', role: 'viewer' });
const qa = () => as({ name: 'quinn', role: 'qa' });
const admin = () => as({ name: 'ada', role: 'admin' });

beforeAll(async () => {
  store = await startStoreServices('dashboard-reports-', { DASHBOARD_USERS: await testUsersEnv() });
  running = store.running;
  registerServices(running.services);
  await running.services.launcher.reconciled;
  await running.services.store.client.insert({
    table: RUNS_TABLE,
    values: [runToRow(fast), runToRow(slow)],
    format: 'JSONEachRow',
  });
  await postOtlp(running.collector!.url, '/v1/metrics', k6Body(fast.id, steps(fast, false)));
  await postOtlp(running.collector!.url, '/v1/metrics', k6Body(slow.id, steps(slow, true)));
  await untilQueueDrained(running.collector!);
}, 60_000);

afterAll(async () => {
  unregisterServices();
  await store?.close();
});

describe('run report', () => {
  it('shows a run from the store: totals, endpoints, errors, checks, series and distribution', async () => {
    const { report, run, baseline } = await viewer().reports.run({ id: slow.id });
    const r = report.results;
    expect(r.scenario).toBe('smoke');
    expect(r.totals.requests).toBe(1000);
    expect(r.totals.failed).toBe(20);
    expect(r.totals.errorRate).toBeCloseTo(0.02);
    expect(r.endpoints.map((e) => [e.name, e.requests, e.failed])).toEqual([
      ['GET /api/cars', 500, 0],
      ['GET /api/cars/:id', 500, 20],
    ]);
    expect(r.errorsByStatus).toEqual([{ name: 'GET /api/cars/:id', status: '500', count: 20 }]);
    expect(r.checks).toEqual([{ name: 'status is 200', passes: 980, fails: 20 }]);
    expect(r.totals.latency.p95Ms).toBeGreaterThan(100);
    expect(r.thresholds).toEqual([{ metric: 'http_req_duration', expr: 'p(95)<200', ok: false }]);
    expect(report.series.reduce((a, p) => a + p.requests, 0)).toBe(1000);
    expect(report.distribution.reduce((a, b) => a + b.count, 0)).toBe(1000);
    expect(run).toMatchObject({ launchedBy: 'quinn', exitCode: 99 });
    expect(baseline).toBeNull();
  });

  it('answers NOT_FOUND for an unknown run and BAD_REQUEST for a malformed id', async () => {
    await expect(viewer().reports.run({ id: 'run_missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(viewer().reports.run({ id: "x'; DROP TABLE cp_runs" })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

describe('comparison', () => {
  it('flags the slower candidate as a regression beyond the fixed noise band', async () => {
    const { comparison, series } = await viewer().reports.compare({ base: fast.id, candidate: slow.id });
    expect(comparison.noise).toMatchObject({ source: 'fixed', latencyPct: 10 });
    expect(comparison.totals.p95Ms.deltaPct).toBeGreaterThan(100);
    expect(comparison.totals.p95Ms.regression).toBe(true);
    expect(comparison.totals.errorRate).toMatchObject({ base: 0, regression: true });
    expect(comparison.endpoints.map((e) => e.name)).toEqual(['GET /api/cars', 'GET /api/cars/:id']);
    expect(comparison.thresholds).toEqual([
      { metric: 'http_req_duration', expr: 'p(95)<200', base: true, candidate: false },
    ]);
    expect(comparison.regressions).toBeGreaterThan(0);
    expect(series.base.reduce((a, p) => a + p.requests, 0)).toBe(1000);
    expect(series.candidate.reduce((a, p) => a + p.requests, 0)).toBe(1000);
  });

  it('lists the scenario trend oldest first', async () => {
    const trend = await viewer().reports.trend({ scenario: 'smoke' });
    expect(trend.map((p) => [p.runId, p.p95Ms, p.thresholdsPassed])).toEqual([
      [fast.id, 45, true],
      [slow.id, 220, false],
    ]);
    expect(await viewer().reports.trend({ scenario: 'endurance' })).toEqual([]);
  });
});

describe('baselines', () => {
  it('lets a viewer read but not mark a baseline; qa marks it and it shows everywhere', async () => {
    await expect(viewer().reports.markBaseline({ id: fast.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/needs the qa role/),
    });
    expect((await viewer().reports.run({ id: slow.id })).baseline).toBeNull();

    const marked = await qa().reports.markBaseline({ id: fast.id });
    expect(marked).toMatchObject({ scenario: 'smoke', runId: fast.id, markedBy: 'quinn' });
    expect((await viewer().reports.run({ id: slow.id })).baseline?.runId).toBe(fast.id);
    const trend = await viewer().reports.trend({ scenario: 'smoke' });
    expect(trend.filter((p) => p.isBaseline).map((p) => p.runId)).toEqual([fast.id]);
    const { entries } = await admin().audit.list({ action: 'run.baseline' });
    expect(entries.map((e) => [e.actor, e.target, e.details])).toEqual([
      ['quinn', fast.id, { scenario: 'smoke' }],
    ]);
    await expect(qa().reports.markBaseline({ id: 'run_missing' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('export downloads', () => {
  const download = (id: string, query: string, cookie?: string) =>
    exportRun(
      new Request(`http://dashboard/api/runs/${encodeURIComponent(id)}/export?${query}`, {
        headers: cookie ? { cookie, host: 'dashboard' } : { host: 'dashboard' },
      }),
      { params: Promise.resolve({ id }) },
    );

  it('gives a signed-in viewer the HTML report and CSV/JSON tables; nobody else', async () => {
    const viewerUser = TEST_USERS[0];
    const cookie = await signInCookie(POST, viewerUser.name, viewerUser.password);
    expect((await download(slow.id, 'format=html')).status).toBe(401);

    const html = await download(slow.id, 'format=html', cookie);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-disposition')).toBe(`attachment; filename="${slow.id}.html"`);
    const page = await html.text();
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<td>GET /api/cars/:id</td>');

    const csv = await download(slow.id, 'format=csv&table=errors', cookie);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\r\n').slice(0, 2)).toEqual([
      'endpoint,status,count',
      'GET /api/cars/:id,500,20',
    ]);
    const json = JSON.parse(await (await download(fast.id, 'format=json', cookie)).text());
    expect(json.tables.summary.find((r: { figure: string }) => r.figure === 'requests').value).toBe(1000);

    expect((await download(slow.id, 'format=pdf', cookie)).status).toBe(400);
    expect(await (await download(slow.id, 'format=csv&table=nope', cookie)).text()).toMatch(/table must be/);
    expect((await download('run_missing', 'format=csv', cookie)).status).toBe(404);
  });
});
