// The System page's health thresholds, stated once: each figure's colour comes from here, and
// the same numbers are printed beside it (hint, tooltip, chart guide lines), so what is green,
// amber or red is never a guess. Pure, so the page, the charts and the tests share it.

export type Tone = 'ok' | 'warn' | 'bad';

export interface Threshold {
  /** Above this the figure is amber (null: no amber band). */
  warn: number | null;
  /** Above this it is red. */
  bad: number;
  unit: 'ms' | 'ratio' | 'count';
}

export const SYSTEM_THRESHOLDS = {
  /** `SELECT 1` from the dashboard: an idle store answers in a few ms; 0.5 s stalls every page. */
  storeRoundTripMs: { warn: 100, bad: 500, unit: 'ms' },
  /** The collector's insert p95: above 1 s its answers to senders slow down and the queue fills. */
  storeInsertP95Ms: { warn: 250, bad: 1000, unit: 'ms' },
  /** The on-disk queue's share of its bound: at the bound senders get 503. */
  queueFill: { warn: 0.5, bad: 0.9, unit: 'ratio' },
  /** Refused, rejected, dropped items and failed inserts: any at all is someone's missing data. */
  losses: { warn: null, bad: 0, unit: 'count' },
} as const satisfies Record<string, Threshold>;

/** The tone of a value against a threshold; null for no value (no colour rather than a guess). */
export function toneOf(value: number | null | undefined, threshold: Threshold): Tone | null {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  if (value > threshold.bad) return 'bad';
  if (threshold.warn !== null && value > threshold.warn) return 'warn';
  return 'ok';
}

/** The worse of two tones (null counts as no opinion). */
export function worseTone(a: Tone | null, b: Tone | null): Tone | null {
  const rank = { ok: 0, warn: 1, bad: 2 } as const;
  if (a === null) return b;
  if (b === null) return a;
  return rank[a] >= rank[b] ? a : b;
}

const limitText = (value: number, unit: Threshold['unit']) =>
  unit === 'ms' ? `${value} ms` : unit === 'ratio' ? `${Math.round(value * 100)} %` : String(value);

/** The thresholds as the page prints them, e.g. "amber > 100 ms, red > 500 ms". */
export function thresholdText(threshold: Threshold): string {
  const red = `red > ${limitText(threshold.bad, threshold.unit)}`;
  return threshold.warn === null ? red : `amber > ${limitText(threshold.warn, threshold.unit)}, ${red}`;
}
