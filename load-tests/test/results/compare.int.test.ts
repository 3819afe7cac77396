// Baseline vs candidate on real k6 runs: the target made 250 ms slower through its chaos controls
// shows up as flagged latency regressions on every endpoint with enough requests to judge (the
// others are shown, not flagged) and a threshold that flips; baselines
// are marked, replaced and cleared; the trend lists the runs with the baseline marked.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { clearBaseline, markBaseline, readBaseline } from '../../src/results/baselines.ts';
import { ALL_REQUESTS, compareRuns, MIN_REQUESTS_TO_JUDGE } from '../../src/results/compare.ts';
import { FIXED_NOISE_PCT } from '../../src/results/noise.ts';
import { scenarioTrend } from '../../src/results/trend.ts';
import type { EndedRun } from '../../src/run-state.ts';
import { RunNotFoundError } from '../../src/run-store.ts';
import { EVERY_RUN_ROUTES } from '../helpers/journey-routes.ts';
import { type StoreLoop, startStoreLoop } from '../helpers/store-loop.ts';

let loop: StoreLoop;
let base: EndedRun;
let slow: EndedRun;
beforeAll(async () => {
  loop = await startStoreLoop();
  // 6 VUs: even slowed by 250 ms a request, the run as a whole has enough requests to be judged.
  base = await loop.smoke({ histograms: 'exponential', vus: 6, duration: '5s' });
  await loop.setChaos({ latencyMs: 250 });
  try {
    slow = await loop.smoke({ histograms: 'exponential', vus: 6, duration: '5s' });
  } finally {
    await loop.setChaos({});
  }
});
afterAll(async () => {
  await loop?.close();
});

test('a slower candidate is flagged per endpoint beyond the noise band; thresholds side by side', async () => {
  const cmp = await compareRuns(loop.store.client, base.id, slow.id);
  // One comparable earlier run (the base) is too few for a band from history.
  expect(cmp.noise).toMatchObject({ source: 'fixed', latencyPct: FIXED_NOISE_PCT });
  expect(cmp.totals.p50Ms.deltaPct!).toBeGreaterThan(100);
  expect(cmp.totals.p50Ms).toMatchObject({ significant: true, regression: true });
  // Browse routes and the signed-in user's sign-up and login run in both (the account journey's
  // later steps may not fit into a 4 s run slowed by 250 ms a request).
  expect(cmp.endpoints.map((e) => e.name)).toEqual(expect.arrayContaining(EVERY_RUN_ROUTES));
  const inBoth = cmp.endpoints.filter((e) => e.p50Ms.base !== null && e.p50Ms.candidate !== null);
  expect(inBoth.map((e) => e.name)).toEqual(expect.arrayContaining(EVERY_RUN_ROUTES));
  for (const e of cmp.endpoints) {
    // Every candidate request waited 250 ms; medians are robust to a busy machine, tails are not.
    if (e.p50Ms.candidate !== null) expect(e.p50Ms.candidate, e.name).toBeGreaterThanOrEqual(250);
    expect(e.errorRate, e.name).toMatchObject({ significant: false });
    for (const rate of [e.errorRate.base, e.errorRate.candidate]) expect([null, 0]).toContain(rate);
  }
  expect(cmp.totals.judged).toBe(true);
  for (const e of inBoth) {
    const enough = Math.min(e.requests.base!, e.requests.candidate!) >= MIN_REQUESTS_TO_JUDGE;
    expect(e.judged, e.name).toBe(enough);
    // Below the minimum the change is shown but not flagged.
    expect(e.p50Ms.regression, e.name).toBe(enough);
  }
  const judged = inBoth.filter((e) => e.judged);
  expect(cmp.regressions).toBeGreaterThanOrEqual(1 + judged.length);
  // Every flagged change is on a judged row, and the biggest is a slower run as a whole or a
  // slower endpoint.
  expect(cmp.changes.length).toBeGreaterThanOrEqual(1 + judged.length);
  for (const c of cmp.changes) expect([ALL_REQUESTS, ...judged.map((e) => e.name)]).toContain(c.endpoint);
  expect(cmp.biggestChanges[0]).toMatchObject({ worse: true });
  expect(['p50Ms', 'p95Ms', 'p99Ms']).toContain(cmp.biggestChanges[0]!.metric);
  const p95 = cmp.thresholds.find((t) => t.metric === 'http_req_duration' && t.expr === 'p(95)<200');
  // Side by side: each run's own verdict (the base's depends on how busy this machine is).
  const baseVerdict = base.result?.thresholds.find((t) => t.metric === 'http_req_duration')?.ok;
  expect(p95).toEqual({
    metric: 'http_req_duration',
    expr: 'p(95)<200',
    base: baseVerdict,
    candidate: false,
  });

  // The same run against itself changes nothing.
  const same = await compareRuns(loop.store.client, base.id, base.id);
  expect(same.regressions).toBe(0);
  expect(same.totals.p95Ms.deltaPct).toBe(0);
});

test('a scenario baseline is marked, replaced and cleared; the trend shows it', async () => {
  expect(await readBaseline(loop.store.client, 'smoke')).toBeNull();
  const marked = await markBaseline(loop.store.client, { runId: base.id, markedBy: 'qa' });
  expect(marked).toMatchObject({ scenario: 'smoke', runId: base.id, markedBy: 'qa' });
  expect(await readBaseline(loop.store.client, 'smoke')).toMatchObject({ runId: base.id });

  const trend = await scenarioTrend(loop.store.client, 'smoke');
  expect(trend.map((p) => p.runId)).toEqual([base.id, slow.id]);
  expect(trend.map((p) => p.isBaseline)).toEqual([true, false]);
  // 250 ms added to every request puts the median at or above it, however busy the machine.
  expect(trend[1]!.p50Ms!).toBeGreaterThanOrEqual(250);
  expect(trend[1]!.p50Ms!).toBeGreaterThan(trend[0]!.p50Ms!);
  expect(trend[1]!.thresholdsPassed).toBe(false);

  await markBaseline(loop.store.client, { runId: slow.id });
  expect(await readBaseline(loop.store.client, 'smoke')).toMatchObject({ runId: slow.id });
  await clearBaseline(loop.store.client, { scenario: 'smoke', markedBy: 'qa' });
  expect(await readBaseline(loop.store.client, 'smoke')).toBeNull();
});

test('bad baseline input is refused and changes nothing', async () => {
  await clearBaseline(loop.store.client, { scenario: 'smoke' });
  await expect(markBaseline(loop.store.client, { runId: 'run_unknown' })).rejects.toThrow(RunNotFoundError);
  await expect(markBaseline(loop.store.client, { runId: "x'; DROP TABLE cp_runs" })).rejects.toThrow(
    /run id/,
  );
  expect(await readBaseline(loop.store.client, 'smoke')).toBeNull();
});
