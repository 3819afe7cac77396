// One computation per figure: real k6 runs of the repo's scenarios against the real target app, the
// launcher streaming every request duration into the store (cp_run_samples). The store's p50/p95/p99
// — overall, per endpoint, per segment — are held against k6's exact handleSummary values (within
// 1 %; histograms miss that by tens of % on endpoints with few requests, see bench/accuracy), and the
// run list, report, CSV export, re-judged thresholds, compare and trend all show the same figure.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runDistributed } from '../../src/distributed.ts';
import { createClickHouseRunRecorder } from '../../src/recorder.ts';
import { compareRuns } from '../../src/results/compare.ts';
import { reportCsv } from '../../src/results/report-tables.ts';
import { queryRunPercentiles } from '../../src/results/run-percentiles.ts';
import { queryRunReport } from '../../src/results/run-report.ts';
import { queryRunResults } from '../../src/results/run-results.ts';
import { scenarioTrend } from '../../src/results/trend.ts';
import type { EndedRun } from '../../src/run-state.ts';
import { readRun } from '../../src/run-store.ts';
import { type K6Summary, readSummaryFile } from '../../src/summary.ts';
import { type StoreLoop, startStoreLoop } from '../helpers/store-loop.ts';

let loop: StoreLoop;
let run: EndedRun;
beforeAll(async () => {
  loop = await startStoreLoop();
  run = await loop.smoke({ vus: 4, duration: '6s', samples: true });
});
afterAll(async () => {
  await loop?.close();
});

const window = (r: EndedRun) => ({ from: (r.startedAt ?? r.createdAt) - 60_000, to: r.endedAt + 60_000 });

/** k6's exact figures of a trend in its summary (med, p(95), p(99)), as [label, value]. */
function k6Figures(summary: K6Summary, metric: string): [string, number][] {
  const values = summary.metrics[metric]?.values ?? {};
  return (
    [
      ['p50', values.med],
      ['p95', values['p(95)']],
      ['p99', values['p(99)']],
    ] as const
  ).flatMap(([label, v]) => (v === undefined ? [] : [[label, v] as [string, number]]));
}

type Figures = { count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };

/** Each of k6's figures within 1 % of the store's (1 µs absolute for the 0 ms of refused requests). */
function expectWithin1Pct(store: Figures | undefined, summary: K6Summary, metric: string): void {
  const byLabel: Record<string, number | null | undefined> = {
    p50: store?.p50Ms,
    p95: store?.p95Ms,
    p99: store?.p99Ms,
  };
  const figures = k6Figures(summary, metric);
  expect(figures.length, `${metric} in k6's summary`).toBeGreaterThan(0);
  for (const [label, exact] of figures) {
    const got = byLabel[label];
    expect(got, `${metric} ${label}`).not.toBeNull();
    expect(Math.abs(got! - exact), `${metric} ${label}: store ${got}, k6 ${exact}`).toBeLessThanOrEqual(
      Math.max(exact * 0.01, 0.001),
    );
  }
}

test("a run's store percentiles, overall and per endpoint, are k6's exact values", async () => {
  expect(['finished', 'failed']).toContain(run.state);
  const summary = await readSummaryFile(run.summaryPath);
  if (!summary) throw new Error('k6 wrote no summary');
  const p = await queryRunPercentiles(loop.store.client, run.id, {
    window: window(run),
    expectedRequests: summary.metrics.http_reqs?.values.count ?? null,
  });
  expect(p.overall.count).toBe(summary.metrics.http_reqs?.values.count);
  expectWithin1Pct(p.overall, summary, 'http_req_duration');
  const routes = Object.keys(summary.metrics).flatMap(
    (m) => /^http_req_duration\{name:(.+)\}$/.exec(m)?.[1] ?? [],
  );
  expect(routes.length).toBeGreaterThan(5);
  for (const name of routes) {
    if ((summary.metrics[`http_req_duration{name:${name}}`]?.values.count ?? 0) === 0) continue;
    expectWithin1Pct(p.byName.get(name), summary, `http_req_duration{name:${name}}`);
  }
  expect(p).toMatchObject({ source: 'samples', errorBound: 0 });
});

test('run list, report, CSV export, re-judged thresholds, compare and trend read one p95', async () => {
  const client = loop.store.client;
  const p95 = (await queryRunPercentiles(client, run.id, { window: window(run) })).overall.p95Ms;
  expect(p95).not.toBeNull();
  const recorded = await readRun(client, run.id);
  expect(recorded.result?.percentiles).toMatchObject({ source: 'samples', errorBound: 0 });
  const results = await queryRunResults(client, run.id);
  const report = await queryRunReport(client, run.id);
  const csv = reportCsv(report, 'summary');
  const comparison = await compareRuns(client, run.id, run.id);
  const trend = await scenarioTrend(client, 'smoke');
  expect({
    runList: recorded.result?.stats?.p95Ms,
    report: results.totals.latency.p95Ms,
    reportPage: report.results.totals.latency.p95Ms,
    threshold: results.storeThresholds.find((t) => t.metric === 'http_req_duration' && t.expr === 'p(95)<200')
      ?.value,
    compare: comparison.totals.p95Ms.candidate,
    trend: trend.find((t) => t.runId === run.id)?.p95Ms,
  }).toEqual({ runList: p95, report: p95, reportPage: p95, threshold: p95, compare: p95, trend: p95 });
  expect(csv.split('\r\n')).toContain(`p95_ms,${Number(p95!.toFixed(3))}`);
  expect(results.percentiles).toMatchObject({ source: 'samples', errorBound: 0 });
  expect(results.percentiles.description).toMatch(/^exact/);
});

/** k6's percentile (linear between the samples around rank p·(n−1)) of ascending values. */
const k6Percentile = (sorted: number[], q: number): number => {
  const i = q * (sorted.length - 1);
  const lo = sorted[Math.floor(i)]!;
  return lo + (sorted[Math.ceil(i)]! - lo) * (i - Math.floor(i));
};

test("a 2-segment run: each segment's store figures are its k6 process's exact ones, merged exactly", async () => {
  const client = loop.store.client;
  const distributed = runDistributed({
    scenario: 'load',
    params: { target: loop.target.url, scale: 0.0006, duration: '5s' },
    targets: [loop.target.url],
    segments: 2,
    runsDir: join(loop.dir, 'runs'),
    otlpEndpoint: `127.0.0.1:${loop.collector.port}`,
    recorder: createClickHouseRunRecorder(client),
    sampleStore: client,
  });
  const done = await distributed.done;
  expect(done.state).toBe('finished');
  const summaries = await Promise.all(done.segments.map((s) => readSummaryFile(s.summaryPath)));
  const results = await queryRunResults(client, done.runId);
  const p = await queryRunPercentiles(client, done.runId, { window: { from: 0, to: Date.now() } });
  for (const [i, s] of done.segments.entries()) {
    const summary = summaries[i]!;
    expect(p.bySegment.get(s.segment)?.count).toBe(summary.metrics.http_reqs?.values.count);
    expectWithin1Pct(p.bySegment.get(s.segment), summary, 'http_req_duration');
  }
  // Merged: k6's own formula over both processes' samples (k6 cannot merge its summaries).
  const rows = await (
    await client.query({
      query: 'SELECT DurationMs FROM cp_run_samples WHERE RunId = {runId:String} ORDER BY DurationMs',
      query_params: { runId: done.runId },
      format: 'JSONEachRow',
    })
  ).json<{ DurationMs: number }>();
  const all = rows.map((r) => r.DurationMs);
  expect(all.length).toBe(results.totals.requests);
  for (const [q, got] of [
    [0.5, results.totals.latency.p50Ms],
    [0.95, results.totals.latency.p95Ms],
    [0.99, results.totals.latency.p99Ms],
  ] as const)
    expect(got).toBeCloseTo(k6Percentile(all, q), 9);
  // The recorded run (run list) shows the merged figure, not the worst segment's.
  const recorded = await readRun(client, done.runId);
  expect(recorded.result?.stats?.p95Ms).toBe(results.totals.latency.p95Ms);
  expect(recorded.result?.percentiles?.source).toBe('samples');
  expect(results.percentiles.source).toBe('samples');
});

test('a run stopped half-way: every request k6 counted is in the store and the figures are exact', async () => {
  const launcher = loop.newLauncher(undefined, true);
  const launched = launcher.launch({
    scenario: 'smoke',
    params: { vus: 4, duration: '60s', target: loop.target.url },
    launchedBy: 'qa',
  });
  await expect.poll(() => launcher.get(launched.id)?.state, { timeout: 30_000 }).toBe('running');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const ended = await launcher.stop(launched.id).then(() => launcher.whenEnded(launched.id));
  await launcher.close();
  expect(ended.state).toBe('aborted');
  const summary = await readSummaryFile(ended.summaryPath);
  if (!summary) throw new Error('k6 wrote no summary');
  const p = await queryRunPercentiles(loop.store.client, ended.id, { window: window(ended) });
  expect(p.overall.count).toBe(summary.metrics.http_reqs?.values.count);
  expectWithin1Pct(p.overall, summary, 'http_req_duration');
  expect(ended.result?.percentiles?.source).toBe('samples');
});
