// How a comparison reads on screen: which way a figure moved (▲ rose, ▼ fell) and whether that is
// worse or better for it — slower, fewer requests/s and more errors are worse — the colour following
// worse/better, never the arrow; why a row is not judged; and the links that open a comparison.
import type { Change, Delta, EndpointDelta } from 'load-tests/results';
import { formatMs, formatPercent, formatRate } from './format.ts';

/** The figures the comparison tables and summary show. */
export type ComparedMetric = 'p50Ms' | 'p95Ms' | 'p99Ms' | 'maxMs' | 'ratePerSec' | 'errorRate';

export const METRIC_LABELS: Record<ComparedMetric, string> = {
  p50Ms: 'p50',
  p95Ms: 'p95',
  p99Ms: 'p99',
  maxMs: 'max',
  ratePerSec: 'rate',
  errorRate: 'errors',
};

export const formatMetric = (metric: ComparedMetric, v: number | null): string =>
  metric === 'ratePerSec' ? formatRate(v) : metric === 'errorRate' ? formatPercent(v) : formatMs(v);

/** worse/better only for a change beyond noise on a judged row; anything else is noise. */
export type Tone = 'worse' | 'better' | 'noise';

export type ChangeMarker = {
  /** ▲ the candidate is higher, ▼ lower; empty when unchanged or one side is missing. */
  arrow: '▲' | '▼' | '';
  tone: Tone;
  /** What the move means for this figure: "slower", "fewer req/s", "more errors"… */
  words: string;
};

const WORDS: Record<ComparedMetric, { up: string; down: string }> = {
  p50Ms: { up: 'slower', down: 'faster' },
  p95Ms: { up: 'slower', down: 'faster' },
  p99Ms: { up: 'slower', down: 'faster' },
  maxMs: { up: 'slower', down: 'faster' },
  ratePerSec: { up: 'more req/s', down: 'fewer req/s' },
  errorRate: { up: 'more errors', down: 'fewer errors' },
};

export function changeMarker(metric: ComparedMetric, d: Delta): ChangeMarker {
  const rose = d.base !== null && d.candidate !== null && d.candidate > d.base;
  const fell = d.base !== null && d.candidate !== null && d.candidate < d.base;
  const tone: Tone = d.regression ? 'worse' : d.significant ? 'better' : 'noise';
  return {
    arrow: rose ? '▲' : fell ? '▼' : '',
    tone,
    words: rose ? WORDS[metric].up : fell ? WORDS[metric].down : '',
  };
}

export const TONE_CLASS: Record<Tone, string> = { worse: 'bad', better: 'ok', noise: 'muted' };

/** "+12.5 %", "from 0", "no change", or "" when a side is missing. */
export function deltaPctText(d: Delta): string {
  if (d.deltaPct !== null) return `${d.deltaPct > 0 ? '+' : ''}${d.deltaPct.toFixed(1)} %`;
  if (d.base === null || d.candidate === null) return '';
  return d.base === d.candidate ? 'no change' : 'from 0';
}

/** Why a row's changes are not flagged, or null when it is judged. */
export function judgeNote(e: EndpointDelta, minRequests: number): string | null {
  if (e.judged) return null;
  if (e.requests.base === null) return 'only in the candidate run';
  if (e.requests.candidate === null) return 'only in the baseline run';
  return `too few requests to judge (${e.requests.base} and ${e.requests.candidate}; at least ${minRequests} each)`;
}

/** One line of "what changed most": "GET /api/cars/:id p95: 120 ms → 480 ms (+300.0 %) ▲ slower". */
export function changeText(c: Change, rowName: (name: string) => string): string {
  const m = changeMarker(c.metric, c.delta);
  const from = formatMetric(c.metric, c.delta.base);
  const to = formatMetric(c.metric, c.delta.candidate);
  const pct = c.delta.deltaPct === null ? '' : ` (${deltaPctText(c.delta)})`;
  return `${rowName(c.endpoint)} ${METRIC_LABELS[c.metric]}: ${from} → ${to}${pct} ${m.arrow} ${m.words}`;
}

/** "2 figure(s) worse, 1 better beyond noise", or "nothing changed beyond noise". */
export function verdictText(changes: readonly Change[]): string {
  if (changes.length === 0) return 'nothing changed beyond noise';
  const worse = changes.filter((c) => c.worse).length;
  const parts = [
    worse > 0 ? `${worse} figure(s) worse` : '',
    worse < changes.length ? `${changes.length - worse} better` : '',
  ];
  return `${parts.filter(Boolean).join(', ')} beyond noise`;
}

/** The compare page's address; without a baseline it picks one for the candidate itself. */
export function compareHref(q: { scenario: string; base?: string; candidate: string }): string {
  const params = new URLSearchParams({ scenario: q.scenario });
  if (q.base) params.set('base', q.base);
  params.set('candidate', q.candidate);
  return `/compare?${params.toString()}`;
}
