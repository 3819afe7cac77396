// Shapes two runs' percentile series into one set of rows for an overlaid chart. Runs start at
// different times, so the x axis is seconds since each run's first step; a step one run lacks
// stays null for that run (a gap, never 0).
import type { SeriesPoint, TrendPoint } from 'load-tests/results';

export interface OverlayRow {
  /** Seconds since the run's first step. */
  s: number;
  baseP50: number | null;
  baseP95: number | null;
  baseP99: number | null;
  candP50: number | null;
  candP95: number | null;
  candP99: number | null;
}

export function overlayRows(base: readonly SeriesPoint[], candidate: readonly SeriesPoint[]): OverlayRow[] {
  const rows = new Map<number, OverlayRow>();
  const row = (s: number) => {
    let r = rows.get(s);
    if (!r) {
      r = { s, baseP50: null, baseP95: null, baseP99: null, candP50: null, candP95: null, candP99: null };
      rows.set(s, r);
    }
    return r;
  };
  const t0b = base[0]?.t ?? 0;
  for (const p of base)
    Object.assign(row((p.t - t0b) / 1000), { baseP50: p.p50Ms, baseP95: p.p95Ms, baseP99: p.p99Ms });
  const t0c = candidate[0]?.t ?? 0;
  for (const p of candidate)
    Object.assign(row((p.t - t0c) / 1000), { candP50: p.p50Ms, candP95: p.p95Ms, candP99: p.p99Ms });
  return [...rows.values()].sort((a, b) => a.s - b.s);
}

export interface TrendRow extends TrendPoint {
  /** Short label for the x axis: the run's start, day and time. */
  label: string;
}

export function trendRows(points: readonly TrendPoint[]): TrendRow[] {
  return points.map((p) => ({
    ...p,
    label: new Date(p.createdAt).toLocaleString('en-GB', {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }),
  }));
}

/**
 * The default pair for a scenario: the candidate (else the newest run) against the baseline, else
 * the run just before the candidate, else the one just after it (the candidate is the oldest).
 * Null when the scenario has no other run to compare with.
 */
export function defaultPair(
  points: readonly TrendPoint[],
  candidateId?: string,
): { base: string; candidate: string } | null {
  const candidate = candidateId ?? points.at(-1)?.runId;
  if (!candidate) return null;
  const baseline = points.find((p) => p.isBaseline && p.runId !== candidate);
  const at = points.findIndex((p) => p.runId === candidate);
  const neighbour = at < 0 ? points.at(-1) : (points[at - 1] ?? points[at + 1]);
  const base = baseline ?? (neighbour?.runId !== candidate ? neighbour : undefined);
  return base ? { base: base.runId, candidate } : null;
}
