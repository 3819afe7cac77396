// The Overview's time ranges: which ones exist, how they appear in the URL (?range=15m), and the
// window and step each one queries. Steps keep every chart near 60 points.

export const TIME_RANGES = {
  '5m': { label: '5 min', seconds: 300, stepSeconds: 5 },
  '15m': { label: '15 min', seconds: 900, stepSeconds: 15 },
  '60m': { label: '60 min', seconds: 3600, stepSeconds: 60 },
} as const;

export type TimeRange = keyof typeof TIME_RANGES;
export const TIME_RANGE_KEYS = Object.keys(TIME_RANGES) as TimeRange[];
export const DEFAULT_TIME_RANGE: TimeRange = '15m';

export function isTimeRange(value: unknown): value is TimeRange {
  return typeof value === 'string' && Object.hasOwn(TIME_RANGES, value);
}

/** The range named in a URL search parameter; anything unknown falls back to the default. */
export function parseTimeRange(value: string | readonly string[] | null | undefined): TimeRange {
  const first = Array.isArray(value) ? value[0] : value;
  return isTimeRange(first) ? first : DEFAULT_TIME_RANGE;
}

export interface QueryWindow {
  from: number;
  to: number;
  stepSeconds: number;
}

/**
 * The window charted for a range at `now`: whole steps only, ending at the last step that is
 * complete (plus a small allowance for export delay), so the newest point is never a partial
 * step whose request rate would look like a drop. A source that writes every N s needs a step
 * that is a multiple of N (else steps alternate between one write and none): pass it.
 */
export function chartWindowOf(
  range: TimeRange,
  now: number,
  exportDelayMs = 2000,
  stepSeconds: number = TIME_RANGES[range].stepSeconds,
): QueryWindow {
  const { seconds } = TIME_RANGES[range];
  const stepMs = stepSeconds * 1000;
  const to = Math.floor((now - exportDelayMs) / stepMs) * stepMs;
  return { from: to - seconds * 1000, to, stepSeconds };
}

/** Window of the "current" big numbers: the last minute up to now. */
export const CURRENT_WINDOW_SECONDS = 60;
export function currentWindowOf(now: number): { from: number; to: number } {
  return { from: now - CURRENT_WINDOW_SECONDS * 1000, to: now };
}
