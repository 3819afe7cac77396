import { describe, expect, it } from 'vitest';
import {
  chooseHistogramSource,
  histogramBucketsQuery,
  planWindowSources,
  rollupTables,
  ttlStatements,
} from '../../src/index.ts';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 0, 1);

describe('chooseHistogramSource', () => {
  it('uses the 1 min rollup for minute-aligned windows of an hour or more', () => {
    expect(chooseHistogramSource({ from: t0, to: t0 + 6 * hour }, 60)).toBe('1m');
    expect(chooseHistogramSource({ from: new Date(t0), to: new Date(t0 + hour) })).toBe('1m');
    expect(chooseHistogramSource({ from: t0, to: t0 + hour }, 300)).toBe('1m');
  });
  it('falls back to the 10 s rollup when the minute does not fit', () => {
    expect(chooseHistogramSource({ from: t0, to: t0 + hour }, 30)).toBe('10s');
    expect(chooseHistogramSource({ from: t0 + 10_000, to: t0 + hour }, 60)).toBe('10s');
    expect(chooseHistogramSource({ from: t0, to: t0 + 600_000 }, 10)).toBe('10s');
  });
  it('lists the rollup tables to clear with the raw ones', () => {
    expect(rollupTables).toEqual([
      'otel_metrics_histogram_10s',
      'otel_metrics_sum_10s',
      'otel_metrics_histogram_1m',
      'otel_metrics_sum_1m',
    ]);
  });
  it('reads raw rows for short, unaligned or finely stepped windows', () => {
    expect(chooseHistogramSource({ from: t0, to: t0 + 590_000 }, 10)).toBe('raw');
    expect(chooseHistogramSource({ from: t0 + 1, to: t0 + hour }, 60)).toBe('raw');
    expect(chooseHistogramSource({ from: t0, to: t0 + hour }, 5)).toBe('raw');
    expect(chooseHistogramSource({ from: t0, to: t0 + hour }, 15)).toBe('raw');
  });
  it('puts the chosen table in the SQL', () => {
    const sel = { metric: 'm' };
    expect(histogramBucketsQuery(sel, { from: t0, to: t0 + hour }, 60).query).toMatch(
      /sumForEachMerge.*FROM otel_metrics_histogram_1m\b/s,
    );
    expect(histogramBucketsQuery(sel, { from: t0, to: t0 + 1000 }, 60).query).toMatch(
      /FROM otel_metrics_histogram\s/,
    );
    expect(histogramBucketsQuery(sel, { from: t0, to: t0 + hour }, 60, [], 'raw').query).not.toMatch(/_1m/);
  });
});

describe('planWindowSources', () => {
  it('reads a window ending now from the rollup, raw only for the unaligned head and tail', () => {
    const now = t0 + 2 * hour + 17_345;
    expect(planWindowSources({ from: now - 2 * hour, to: now }, 60)).toEqual([
      { source: 'raw', window: { from: now - 2 * hour, to: t0 + 60_000 } },
      { source: '1m', window: { from: t0 + 60_000, to: t0 + 2 * hour } },
      { source: 'raw', window: { from: t0 + 2 * hour, to: now } },
    ]);
    expect(planWindowSources({ from: now - hour, to: now }, 30).map((p) => p.source)).toEqual([
      'raw',
      '10s',
      'raw',
    ]);
  });
  it('is one part for aligned windows and raw for short or finely stepped ones', () => {
    expect(planWindowSources({ from: t0, to: t0 + hour })).toEqual([
      { source: '1m', window: { from: t0, to: t0 + hour } },
    ]);
    expect(planWindowSources({ from: t0 + 1, to: t0 + 300_000 })).toEqual([
      { source: 'raw', window: { from: t0 + 1, to: t0 + 300_000 } },
    ]);
    expect(planWindowSources({ from: t0 + 1, to: t0 + hour }, 15).map((p) => p.source)).toEqual(['raw']);
  });
});

describe('ttlStatements', () => {
  it('is empty by default and one ALTER per table of each configured group', () => {
    expect(ttlStatements({})).toEqual([]);
    const logs = ttlStatements({ logs: 3 });
    expect(logs).toEqual(['ALTER TABLE otel_logs MODIFY TTL TimestampTime + toIntervalDay(3)']);
    expect(ttlStatements({ metrics: 30 })).toContain(
      'ALTER TABLE otel_metrics_histogram_1m MODIFY TTL TimeUnix + toIntervalDay(30)',
    );
    expect(() => ttlStatements({ traces: 0 })).toThrow(RangeError);
  });
});
