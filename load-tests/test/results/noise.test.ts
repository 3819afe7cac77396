import { expect, test } from 'vitest';
import {
  comparableRuns,
  FIXED_NOISE_PCT,
  MIN_NOISE_PCT,
  noiseBand,
  predictionFactor,
} from '../../src/results/noise.ts';
import type { RunStats } from '../../src/run-state.ts';
import type { StoredRun } from '../../src/run-store.ts';

const stats = (p95Ms: number, reqRate: number): RunStats => ({
  httpReqs: 100,
  reqRate,
  errorRate: 0,
  checksRate: 1,
  p50Ms: p95Ms / 2,
  p90Ms: p95Ms * 0.9,
  p95Ms,
  p99Ms: p95Ms * 1.1,
  maxMs: p95Ms * 2,
  iterations: 10,
  durationMs: 10_000,
  dataReceived: 1,
  dataSent: 1,
});

const run = (id: string, createdAt: number, s: RunStats, extra: Partial<StoredRun> = {}): StoredRun => ({
  id,
  scenario: 'load',
  state: 'finished',
  params: { scale: 0.001, duration: '1m', target: 'http://127.0.0.1:8080' },
  target: 'http://127.0.0.1:8080',
  launchedBy: '',
  createdAt,
  startedAt: createdAt,
  endedAt: createdAt + 60_000,
  exitCode: 0,
  result: { exitCode: 0, exitMeaning: 'ok', thresholdsPassed: true, thresholds: [], stats: s },
  reason: null,
  ...extra,
});

test('with fewer than three comparable runs the band is the fixed one', () => {
  expect(noiseBand([run('a', 1, stats(100, 50)), run('b', 2, stats(110, 50))])).toMatchObject({
    source: 'fixed',
    latencyPct: FIXED_NOISE_PCT,
    ratePct: FIXED_NOISE_PCT,
  });
});

test('from history: the 95 % prediction interval for one more run (Student t), floored', () => {
  const band = noiseBand([
    run('a', 1, stats(90, 50)),
    run('b', 2, stats(100, 50)),
    run('c', 3, stats(110, 50)),
  ]);
  expect(band.source).toBe('history');
  expect(band.runs).toBe(3);
  // stddev 10, mean 100: CV 0.1 × t(0.975, 2) 4.303 × √(1 + 1/3)
  expect(band.latencyPct).toBeCloseTo(49.69, 2);
  expect(band.ratePct).toBe(MIN_NOISE_PCT);
});

test('the band narrows as history grows, towards 1.96 × the CV', () => {
  expect(predictionFactor(3)).toBeCloseTo(4.969, 3);
  expect(predictionFactor(10)).toBeCloseTo(2.372, 3);
  expect(predictionFactor(200)).toBeCloseTo(1.965, 3);
  const ten = Array.from({ length: 10 }, (_, i) => run(`r${i}`, i, stats(i % 2 ? 90 : 110, 50)));
  // sample stddev of ±10 around 100 over 10 runs: √(1000/9) = 10.54
  expect(noiseBand(ten).latencyPct).toBeCloseTo(2.372 * 10.54, 1);
});

test('only finished runs of the same scenario and parameters, before the candidate, count', () => {
  const candidate = run('cand', 100, stats(100, 50));
  const history = [
    run('same', 10, stats(100, 50)),
    run('later', 200, stats(100, 50)),
    run('failed', 10, stats(100, 50), { state: 'failed' }),
    run('other-params', 10, stats(100, 50), { params: { scale: 0.002 } }),
    run('other-scenario', 10, stats(100, 50), { scenario: 'stress' }),
    run('no-summary', 10, stats(100, 50), { result: null }),
    candidate,
  ];
  expect(comparableRuns(history, candidate).map((r) => r.id)).toEqual(['same']);
});
