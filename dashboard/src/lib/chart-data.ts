// Shapes store series and live run status into rows the charts plot. Latency arrives in seconds
// and is charted in milliseconds; a step without observations stays null so the line shows a gap.
import type { SeriesPoint } from 'collector/query';
import { type RangeMs, rangeMsOf } from './histogram-estimate.ts';

export interface TrafficPoint {
  /** Step start, unix ms. */
  t: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Each percentile's error bound in the step: the histogram bucket its estimate lies in (ms). */
  p50RangeMs: RangeMs | null;
  p95RangeMs: RangeMs | null;
  p99RangeMs: RangeMs | null;
  /** Requests per second in the step (0 when none were recorded). */
  rate: number;
  /** Share of requests answered with a 5xx, 0..1; null when there were no requests. */
  errorRate: number | null;
}

const secondsToMs = (s: number | null): number | null =>
  s === null || !Number.isFinite(s) ? null : s * 1000;

export function toTrafficPoints(points: readonly SeriesPoint[]): TrafficPoint[] {
  return points.map((p) => ({
    t: p.t,
    p50Ms: secondsToMs(p.p50),
    p95Ms: secondsToMs(p.p95),
    p99Ms: secondsToMs(p.p99),
    p50RangeMs: rangeMsOf(p.bounds.p50),
    p95RangeMs: rangeMsOf(p.bounds.p95),
    p99RangeMs: rangeMsOf(p.bounds.p99),
    rate: p.rate,
    errorRate: p.count > 0 ? p.errorRate : null,
  }));
}

/** Where a per-route chart row keeps the route's bound (its value is under the route's name). */
export const routeRangeKey = (route: string) => `${route} range`;

/** How many rows have a value for `key` (the charts expose it as data-points for tests and a11y). */
export function countDefined<T>(rows: readonly T[], key: keyof T): number {
  return rows.reduce((n, row) => (row[key] === null || row[key] === undefined ? n : n + 1), 0);
}

export interface LivePoint {
  t: number;
  p95Ms: number | null;
  reqRate: number;
}

/** Adds a live status reading to a run's history: one point per reading time, oldest dropped past `max`. */
export function appendLivePoint(history: readonly LivePoint[], point: LivePoint, max = 600): LivePoint[] {
  const last = history[history.length - 1];
  if (last && point.t <= last.t) return last.t === point.t ? [...history.slice(0, -1), point] : [...history];
  const next = [...history, point];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** True when some value has no defined neighbour: a line alone cannot show it, so dots are drawn. */
export function hasIsolatedPoints<T>(rows: readonly T[], key: keyof T): boolean {
  const defined = (i: number) => {
    const row = rows[i];
    return row !== undefined && row !== null && row[key] !== null && row[key] !== undefined;
  };
  return rows.some((_, i) => defined(i) && !defined(i - 1) && !defined(i + 1));
}

/**
 * A y axis from 0 with round ticks (steps of 1, 2, 2.5 or 5 × 10^k) reaching at least `max`
 * and at least `minTop`, so a flat line at 0 or a lone point does not get an odd scale.
 */
export function niceScale(max: number, minTop: number, maxSteps = 4): { top: number; ticks: number[] } {
  const reach = Math.max(Number.isFinite(max) ? max : 0, minTop, Number.MIN_VALUE);
  const raw = reach / maxSteps;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const count = Math.ceil(reach / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { top: ticks[ticks.length - 1] ?? step, ticks };
}

/** The largest value among the given keys (0 when there is none). */
export function maxOf<T>(rows: readonly T[], keys: readonly (keyof T)[]): number {
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const v = row[key];
      if (typeof v === 'number' && Number.isFinite(v) && v > max) max = v;
    }
  }
  return max;
}
