// The synthetic page check end to end: real Chromium loads the real target app's pages, the
// timings travel through the OTel SDK's OTLP exporter into the dashboard's collector and chDB,
// and the Frontend score category has values instead of "no data".
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryStat } from 'collector';
import { startTargetApp, type TargetApp } from 'target-app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { createPageCheck, type PageCheck, type PageResult } from '../../src/runtime/page-check/page-check.ts';
import { createPageCheckMetrics, PAGE_CHECK_SERVICE } from '../../src/runtime/page-check/page-metrics.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { kpiScore } from '../../src/scores/curve.ts';
import { createCaller } from '../../src/server/routers/_app.ts';

let dir: string;
let target: TargetApp;
let running: RunningServices;
let api: ReturnType<typeof createCaller>;
let check: PageCheck;
const started = Date.now();
const window = () => ({ from: started - 60_000, to: Date.now() + 60_000 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-page-check-'));
  mkdirSync(join(dir, 'rules'));
  target = await startTargetApp({ port: 0, carCount: 500, telemetryEnabled: false, logLevel: 'warn' });
  running = await startServices(
    parseDashboardEnv({
      DATA_DIR: dir,
      COLLECTOR_PORT: '0',
      PORT: '0',
      RULES_DIR: join(dir, 'rules'),
      TARGET_URL: target.url,
      // The test drives its own check against the collector's real port.
      PAGE_CHECK_INTERVAL: '0',
    }),
    () => undefined,
  );
  api = createCaller({
    services: running.services,
    headers: new Headers(),
    user: { name: 'test-viewer', role: 'viewer' },
  });
  check = createPageCheck({
    urls: [`${target.url}/`, `${target.url}/cars/1`, `${target.url}/no-such-page`],
    intervalMs: 0,
    timeoutMs: 20_000,
    executablePath: '/usr/bin/chromium',
    metrics: createPageCheckMetrics({ otlpUrl: running.collector!.url }),
    activeRunId: () => 'run_page_check_test',
    log: () => undefined,
  });
});

afterAll(async () => {
  await check?.stop();
  await running?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

const gauge = (metric: string, path: string) =>
  queryStat(running.services.store.client, {
    kind: 'gauge',
    stat: 'avg',
    metric,
    serviceName: PAGE_CHECK_SERVICE,
    where: [
      { key: 'url.path', op: '=', value: path },
      { key: 'run_id', op: '=', value: 'run_page_check_test' },
    ],
    window: window(),
  });

describe('page check', () => {
  let results: PageResult[];

  it('measures both pages in Chromium and counts the missing one as failed', async () => {
    results = await check.runOnce();
    const byPath = new Map(results.map((r) => [new URL(r.url).pathname, r]));
    for (const path of ['/', '/cars/1']) {
      const result = byPath.get(path);
      expect(result?.state, `${path}: ${JSON.stringify(result)}`).toBe('measured');
      if (result?.state !== 'measured') continue;
      const { timings } = result;
      expect(timings.fcp).toBeGreaterThan(0);
      expect(timings.load).toBeGreaterThan(0);
      // The page paints its largest element after the first paint, never before.
      expect(timings.lcp).toBeGreaterThanOrEqual(timings.fcp);
      // Placeholders keep the layout still while results arrive.
      expect(timings.cls).toBeLessThan(0.1);
      expect(timings.tti).toBeGreaterThanOrEqual(timings.fcp);
      // Blocking time is counted inside [FCP, TTI] only: it cannot exceed that window.
      expect(timings.tbt).toBeGreaterThanOrEqual(0);
      expect(timings.tbt).toBeLessThanOrEqual(timings.tti! - timings.fcp);
    }
    expect(byPath.get('/no-such-page')).toMatchObject({ state: 'failed', reason: 'http_status' });
  });

  it('stores each page as page-check gauges in seconds, tagged with the page and the run', async () => {
    const measured = results.find((r) => r.state === 'measured' && new URL(r.url).pathname === '/');
    if (measured?.state !== 'measured') throw new Error('the search page was not measured');
    await expect.poll(() => gauge('page.fcp', '/'), { timeout: 10_000 }).not.toBeNull();
    expect(await gauge('page.fcp', '/')).toBeCloseTo(measured.timings.fcp / 1000, 6);
    expect(await gauge('page.load.duration', '/')).toBeCloseTo(measured.timings.load / 1000, 6);
    expect(await gauge('page.tti', '/')).toBeCloseTo(measured.timings.tti! / 1000, 6);
    expect(await gauge('page.cls', '/')).toBeCloseTo(measured.timings.cls, 6);
    for (const metric of ['page.lcp', 'page.tbt', 'page.fcp']) {
      expect(await gauge(metric, '/cars/1'), metric).not.toBeNull();
    }
    const failures = await queryStat(running.services.store.client, {
      kind: 'sum',
      stat: 'sum',
      metric: 'page.check.failures',
      serviceName: PAGE_CHECK_SERVICE,
      where: [{ key: 'error.type', op: '=', value: 'http_status' }],
      window: window(),
    });
    expect(failures).toBe(1);
  });

  it("marks every request its browser makes as the product's own, not the API's", async () => {
    // The pages and the API calls their scripts made, as the target's Prometheus histogram saw them.
    const text = await (await fetch(`${target.url}/metrics`)).text();
    const series = [...text.matchAll(/^http_server_request_duration_seconds_count\{(.*)\} (\d+)$/gm)];
    const routes = (source: string) =>
      series.filter(([, labels]) => labels?.includes(`traffic_source="${source}"`)).map(([, l]) => l);
    expect(routes('internal').some((l) => l?.includes('route="/api/cars"'))).toBe(true);
    expect(routes('internal').some((l) => l?.includes('route="/cars/:id"'))).toBe(true);
    expect(routes('api')).toEqual([]);
  });

  it('gives the Frontend score category values, not "no data"', async () => {
    const report = await api.scores.forWindow(window());
    const frontend = report.categories.find((c) => c.id === 'frontend');
    expect(frontend?.score).not.toBeNull();
    // Each KPI is the page-check gauges' average over the two measured pages (ms, CLS unitless),
    // so it lies between the two pages' own timings; its score is the KPI curve at that value.
    const measured = results.flatMap((r) => (r.state === 'measured' ? [r.timings] : []));
    expect(measured).toHaveLength(2);
    const timingOf = {
      'frontend.load': 'load',
      'frontend.fcp': 'fcp',
      'frontend.tti': 'tti',
      'frontend.cls': 'cls',
    } as const;
    for (const [id, timing] of Object.entries(timingOf)) {
      const kpi = frontend?.kpis.find((k) => k.id === id);
      if (kpi?.value == null) throw new Error(`${id}: no data`);
      const pages = measured.map((m) => m[timing] ?? Number.NaN);
      expect(kpi.value, id).toBeGreaterThanOrEqual(Math.min(...pages) - 1e-6);
      expect(kpi.value, id).toBeLessThanOrEqual(Math.max(...pages) + 1e-6);
      expect(kpi.score, id).toBeCloseTo(kpiScore(kpi, kpi.value), 9);
    }
  });
});
