// Insert times: cumulative per signal and outcome, and a last-minute p50/p95 that forgets old inserts.
import { expect, it } from 'vitest';
import { InsertLatency } from '../../src/write/insert-latency.ts';

it('keeps failures apart from successes and forgets inserts older than a minute', () => {
  let now = 1_000_000;
  const latency = new InsertLatency(() => now);
  for (let i = 0; i < 19; i++) latency.record('metrics', 'success', 0.004);
  latency.record('metrics', 'failure', 3);
  const series = latency.snapshot();
  expect(series.map((s) => [s.signal, s.outcome, s.count])).toEqual([
    ['metrics', 'success', 19],
    ['metrics', 'failure', 1],
  ]);
  const recent = latency.recent();
  expect(recent.inserts).toBe(20);
  expect(recent.p50Seconds).toBeGreaterThan(0.0025);
  expect(recent.p50Seconds).toBeLessThanOrEqual(0.005);
  expect(recent.p95Seconds).toBeLessThanOrEqual(0.005);

  now += 70_000;
  latency.record('traces', 'success', 0.2);
  expect(latency.recent()).toMatchObject({ inserts: 1 });
  expect(latency.recent().p95Seconds).toBeGreaterThan(0.1);
  // Cumulative counts are never forgotten: /metrics and the store need them.
  expect(latency.snapshot().reduce((n, s) => n + s.count, 0)).toBe(21);
});
