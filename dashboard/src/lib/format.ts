// How numbers read on screen. A missing value is always "no data", never 0.

export const NO_DATA = 'no data';

const isNumber = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Milliseconds: 0.42 ms, 12.3 ms, 245 ms, 1.25 s. */
export function formatMs(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NO_DATA;
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (abs >= 100) return `${ms.toFixed(0)} ms`;
  if (abs >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A ratio 0..1 as a percentage: 0 %, <0.01 %, 0.05 %, 12.5 %. */
export function formatPercent(ratio: number | null | undefined): string {
  if (!isNumber(ratio)) return NO_DATA;
  if (ratio === 0) return '0 %';
  const pct = ratio * 100;
  if (pct < 0.01) return '<0.01 %';
  if (pct < 1) return `${pct.toFixed(2)} %`;
  if (pct >= 99.95 && ratio < 1) return '>99.9 %';
  return `${pct.toFixed(1)} %`;
}

/** Requests per second: 0 req/s, 0.50 req/s, 12.3 req/s, 1,234 req/s. */
export function formatRate(perSecond: number | null | undefined): string {
  if (!isNumber(perSecond)) return NO_DATA;
  if (perSecond === 0) return '0 req/s';
  if (perSecond < 10) return `${perSecond.toFixed(2)} req/s`;
  if (perSecond < 100) return `${perSecond.toFixed(1)} req/s`;
  return `${Math.round(perSecond).toLocaleString('en-US')} req/s`;
}

export function formatCount(n: number | null | undefined): string {
  if (!isNumber(n)) return NO_DATA;
  return Math.round(n).toLocaleString('en-US');
}

/** A span of time: 850 ms, 5.0 s, 2m 05s, 1h 02m. */
export function formatDuration(ms: number | null | undefined): string {
  if (!isNumber(ms)) return NO_DATA;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalS = Math.round(s);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m` : `${m}m ${pad(sec)}s`;
}

/** Wall-clock time of day in the viewer's zone, HH:MM:SS. */
export function formatClock(t: number | null | undefined): string {
  if (!isNumber(t) || t <= 0) return '—';
  return new Date(t).toLocaleTimeString('en-GB', { hour12: false });
}

/** How long ago: "just now", "42 s ago", "5 min ago", "3 h ago". */
export function formatAgo(t: number | null | undefined, now: number): string {
  if (!isNumber(t) || t <= 0) return '—';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A VU count from run parameters (unknown shape): "1 VU", "2 VUs". */
export function formatVus(vus: unknown): string {
  return vus === 1 ? '1 VU' : `${typeof vus === 'number' ? vus : '?'} VUs`;
}
