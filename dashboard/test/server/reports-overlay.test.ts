// The compare page's data shaping: two runs aligned by seconds into the run (gaps stay null), and
// the pair proposed when the URL names none (the baseline against the newest run).
import type { SeriesPoint, TrendPoint } from 'load-tests';
import { describe, expect, it } from 'vitest';
import { defaultPair, overlayRows } from '../../src/components/runs/overlay-data.ts';

const point = (t: number, p95Ms: number | null): SeriesPoint => ({
  t,
  requests: p95Ms === null ? 0 : 10,
  ratePerSec: p95Ms === null ? 0 : 5,
  p50Ms: p95Ms === null ? null : p95Ms / 2,
  p95Ms,
  p99Ms: p95Ms === null ? null : p95Ms * 1.2,
});

const trend = (runId: string, isBaseline = false): TrendPoint => ({
  runId,
  createdAt: 0,
  state: 'finished',
  params: {},
  exitCode: 0,
  thresholdsPassed: true,
  requests: 10,
  reqRate: 1,
  errorRate: 0,
  p50Ms: 1,
  p95Ms: 2,
  p99Ms: 3,
  isBaseline,
});

describe('overlayRows', () => {
  it('aligns runs that started at different times by seconds into each run', () => {
    const base = [point(1_000_000, 10), point(1_002_000, null), point(1_004_000, 30)];
    const cand = [point(5_000_000, 20), point(5_002_000, 25)];
    expect(overlayRows(base, cand).map((r) => [r.s, r.baseP95, r.candP95])).toEqual([
      [0, 10, 20],
      [2, null, 25],
      [4, 30, null],
    ]);
  });

  it('is empty when neither run has points', () => {
    expect(overlayRows([], [])).toEqual([]);
  });
});

describe('defaultPair', () => {
  it("proposes the scenario's baseline against the newest run", () => {
    expect(defaultPair([trend('a'), trend('b', true), trend('c'), trend('d')])).toEqual({
      base: 'b',
      candidate: 'd',
    });
  });

  it('falls back to the two newest runs, and to nothing with fewer than two', () => {
    expect(defaultPair([trend('a'), trend('b'), trend('c', true)])).toEqual({ base: 'b', candidate: 'c' });
    expect(defaultPair([trend('a')])).toBeNull();
  });
});
