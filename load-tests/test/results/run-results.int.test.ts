// A run's results from the store by run id, against real k6 runs of the smoke scenario on the real
// target app: the store's counts match k6's own summary, percentiles from exponential histograms
// land within a couple of percent of k6's exact ones, and the target's own metrics cover the run.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runDistributed } from '../../src/distributed.ts';
import { createClickHouseRunRecorder } from '../../src/recorder.ts';
import { queryRunResults } from '../../src/results/run-results.ts';
import { RunNotFoundError } from '../../src/run-store.ts';
import { EVERY_RUN_ROUTES, JOURNEY_ROUTES } from '../helpers/journey-routes.ts';
import { type StoreLoop, startStoreLoop } from '../helpers/store-loop.ts';

let loop: StoreLoop;
beforeAll(async () => {
  loop = await startStoreLoop();
});
afterAll(async () => {
  await loop?.close();
});

/** The store lists the routes requested: browse, sign-up and login always; none outside the journeys. */
function expectJourneyRoutes(names: string[]): void {
  expect(names).toEqual(expect.arrayContaining(EVERY_RUN_ROUTES));
  for (const name of names) expect(JOURNEY_ROUTES).toContain(name);
  expect(names).toEqual([...names].sort());
}

test('results by run id match k6’s summary; exponential percentiles are close to the exact ones', async () => {
  // The product's own requests during the run (a scraper's, marked internal) are not the API's.
  const running = loop.smoke({ vus: 12, duration: '5s', histograms: 'exponential' });
  for (let i = 0; i < 20; i++) {
    await fetch(`${loop.target.url}/metrics`, { headers: { 'x-synthetic': 'collector-scrape' } });
    await fetch(`${loop.target.url}/api/makes`, { headers: { 'x-synthetic': 'page-check' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const run = await running;
  expect(run.state).toBe('finished');
  const stats = run.result?.stats;
  if (!stats) throw new Error('no summary');
  const results = await queryRunResults(loop.store.client, run.id);

  expect(results.percentiles.source).toBe('exponential');
  expect(results.totals.requests).toBe(stats.httpReqs);
  expect(results.totals.iterations).toBe(stats.iterations);
  expect(results.totals.dataSentBytes).toBe(stats.dataSent);
  expect(results.totals.dataReceivedBytes).toBe(stats.dataReceived);
  expect(results.totals.ratePerSec).toBeCloseTo(stats.reqRate, 6);
  expect(results.totals.failed).toBe(0);
  expect(results.totals.latency.count).toBe(stats.httpReqs);
  expect(results.totals.latency.maxMs).toBeCloseTo(stats.maxMs!, 3);
  // Buckets are ~1–3 % wide here (the collector's tests prove the bound on 1,000 samples). k6
  // interpolates between neighbouring samples and the histogram picks the sample at the rank, so
  // with some tens of requests the median agrees closely and the p95 lies between k6's p90 and max.
  const l = results.totals.latency;
  expect(Math.abs(l.p50Ms! - stats.p50Ms!) / stats.p50Ms!).toBeLessThan(0.15);
  // (A point spanning a wide range lowers the scale; at scale 3 a bucket is 9 % wide.)
  expect(l.p95Ms!).toBeGreaterThanOrEqual(stats.p90Ms! * 0.91);
  expect(l.p95Ms!).toBeLessThanOrEqual(stats.maxMs! * 1.0001);

  expectJourneyRoutes(results.endpoints.map((e) => e.name));
  expect(results.endpoints.reduce((a, e) => a + e.requests, 0)).toBe(stats.httpReqs);
  for (const e of results.endpoints) {
    expect(e.latency.count).toBe(e.requests);
    expect(e.latency.p95Ms).toBeGreaterThan(0);
    expect(e.latency.p99Ms!).toBeGreaterThanOrEqual(e.latency.p50Ms!);
  }
  const summaryChecks = Object.fromEntries((run.result?.checks ?? []).map((c) => [c.name, c]));
  expect(results.checks.length).toBeGreaterThan(0);
  for (const c of results.checks) expect(c).toEqual(summaryChecks[c.name]);
  expect(results.thresholds.map((t) => t.metric)).toEqual(
    expect.arrayContaining(['http_req_duration', 'http_req_failed']),
  );
  // The target counted the same requests (its last export lands within its 1 s interval).
  await expect
    .poll(async () => (await queryRunResults(loop.store.client, run.id)).server?.requests ?? 0, {
      timeout: 10_000,
    })
    .toBeGreaterThanOrEqual(stats.httpReqs);
  const server = (await queryRunResults(loop.store.client, run.id)).server!;
  expect(server.requests).toBe(stats.httpReqs);
  expect(server.service).toBe('car-suggester');
  expect(server.p95Ms).toBeGreaterThan(0);
  expect(server.errorRate).toBe(0);
});

test('errors by status and by check come from the store; explicit histograms still answer', async () => {
  await loop.setChaos({ errorRate: 1, routes: ['/api/cars/:id'] });
  try {
    const run = await loop.smoke({ duration: '4s' });
    expect(run.state).toBe('finished');
    expect(run.result?.exitCode).toBe(99);
    const results = await queryRunResults(loop.store.client, run.id);
    expect(results.percentiles.source).toBe('explicit');
    const details = results.endpoints.find((e) => e.name === 'GET /api/cars/:id')!;
    expect(details.failed).toBe(details.requests);
    expect(details.errorRate).toBe(1);
    expect(results.errorsByStatus).toEqual([
      { name: 'GET /api/cars/:id', status: '500', count: details.requests },
    ]);
    expect(results.totals.errorRate).toBeCloseTo(details.requests / results.totals.requests, 9);
    expect(results.endpoints.find((e) => e.name === 'GET /api/makes')?.failed).toBe(0);
    const failing = results.checks.filter((c) => c.fails > 0);
    expect(failing.length).toBeGreaterThan(0);
    expect(results.thresholds.find((t) => t.metric === 'http_req_failed')?.ok).toBe(false);
    expect(results.storeThresholds.find((t) => t.metric === 'http_req_failed')).toEqual({
      metric: 'http_req_failed',
      expr: 'rate<0.001',
      value: results.totals.errorRate,
      ok: false,
    });
    expect(results.totals.latency.p95Ms).toBeGreaterThan(0);
    expect(results.server?.errorRate).toBeGreaterThan(0);
  } finally {
    await loop.setChaos({});
  }
});

test('a two-segment run aggregates from the store: counts add up, percentiles from merged histograms', async () => {
  const run = runDistributed({
    scenario: 'load',
    params: { target: loop.target.url, scale: 0.0004, duration: '4s' },
    targets: [loop.target.url],
    segments: 2,
    runsDir: join(loop.dir, 'runs'),
    otlpEndpoint: `127.0.0.1:${loop.collector.port}`,
    histograms: 'exponential',
    recorder: createClickHouseRunRecorder(loop.store.client),
  });
  const done = await run.done;
  expect(done.state).toBe('finished');
  const perSegment = done.segments.map((s) => s.result.stats?.httpReqs ?? 0);
  expect(perSegment.every((n) => n > 0)).toBe(true);
  const results = await queryRunResults(loop.store.client, done.runId);
  expect(results.totals.requests).toBe(perSegment[0]! + perSegment[1]!);
  expect(results.totals.latency.count).toBe(results.totals.requests);
  // The merged max is the slowest request of either process; the merged p50 lies between theirs.
  const maxes = done.segments.map((s) => s.result.stats?.maxMs ?? 0);
  expect(results.totals.latency.maxMs).toBeCloseTo(Math.max(...maxes), 3);
  expect(results.totals.latency.p99Ms!).toBeLessThanOrEqual(Math.max(...maxes) * 1.0001);
  expectJourneyRoutes(results.endpoints.map((e) => e.name));
  // Thresholds re-judged on the merged figures: every plan expression gets a store verdict.
  const judged = results.storeThresholds.filter((t) => t.ok !== null).map((t) => `${t.metric} ${t.expr}`);
  expect(judged).toEqual(
    expect.arrayContaining(['http_req_failed rate<0.001', 'checks rate>0.99', 'http_req_duration p(95)<200']),
  );
  expect(results.storeThresholds.find((t) => t.metric === 'http_req_failed')).toMatchObject({
    value: 0,
    ok: true,
  });
});

test('an unknown run id is a clear error', async () => {
  await expect(queryRunResults(loop.store.client, 'run_nope')).rejects.toThrow(RunNotFoundError);
  await expect(queryRunResults(loop.store.client, 'run_nope')).rejects.toThrow(/no run run_nope/);
});
