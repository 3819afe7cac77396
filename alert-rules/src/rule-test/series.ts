// Input series in the promtool style: a selector plus expanding values ("0.3x9", "1+1x4", "_"
// for a missing sample), written as delta rows of the OTel exporter's tables. A histogram value is
// the latency of every observation in that step; a sum value is the counter's running total (as
// in promtool), stored as the delta since the previous sample; a gauge value is stored as is.
import type { MetricKind, Store } from 'collector';

/** Bounds the OTel SDK uses by default for http.server.request.duration (seconds). */
export const httpDurationBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** promtool's expanding notation: `a+bxn` gives n+1 values a, a+b, …; `axn` repeats a; `_` is no sample. */
export function expandValues(text: string): (number | null)[] {
  return text
    .trim()
    .split(/\s+/)
    .flatMap((term) => {
      const blank = /^_(?:x(\d+))?$/.exec(term);
      if (blank) return new Array<null>(blank[1] ? Number(blank[1]) : 1).fill(null);
      const m = /^(-?[\d.e]+)(?:([+-])([\d.e]+))?x(\d+)$/.exec(term);
      if (!m) {
        const n = Number(term);
        if (term === '' || Number.isNaN(n)) throw new SyntaxError(`bad series value "${term}"`);
        return [n];
      }
      const start = Number(m[1]);
      const delta = (m[2] === '-' ? -1 : 1) * Number(m[3] ?? 0);
      return Array.from({ length: Number(m[4]) + 1 }, (_, i) => start + i * delta);
    });
}

/** `name{key="value", …}`; label keys may contain dots; `service` is the ServiceName. */
export function parseSelector(text: string): { name: string; labels: Record<string, string> } {
  const m = /^\s*([^{\s]+)\s*(?:\{(.*)\})?\s*$/.exec(text);
  if (!m) throw new SyntaxError(`bad series selector "${text}"`);
  const labels: Record<string, string> = {};
  for (const pair of (m[2] ?? '').matchAll(/([\w.]+)\s*=\s*"((?:[^"\\]|\\.)*)"/g))
    labels[pair[1]!] = pair[2]!;
  return { name: m[1]!, labels };
}

export interface InputSeries {
  /** e.g. `http.server.request.duration{service="car-suggester", http.route="/cars"}` */
  series: string;
  values: string;
  /** Default histogram. */
  kind?: MetricKind | undefined;
  /** Histogram observations per step (default 10). */
  countPerStep?: number | undefined;
  bounds?: number[] | undefined;
  /** The metric's OTel unit as stored (MetricUnit); default `s` for histograms, none otherwise. */
  unit?: string | undefined;
}
/** The name the earlier test helper used. */
export type HistogramSeries = InputSeries;

export interface SeriesClock {
  /** Unix ms of the first value. */
  start: number;
  stepMs: number;
}

const timestamp = (ms: number) => (ms / 1000).toFixed(3);
const tableOf: Record<MetricKind, string> = {
  histogram: 'otel_metrics_histogram',
  sum: 'otel_metrics_sum',
  gauge: 'otel_metrics_gauge',
};

export function seriesRows(input: InputSeries, clock: SeriesClock): Record<string, unknown>[] {
  const { name, labels } = parseSelector(input.series);
  const { service = '', ...attributes } = labels;
  const kind = input.kind ?? 'histogram';
  const base = (t: number) => ({
    ResourceAttributes: { 'service.name': service },
    ServiceName: service,
    ScopeName: 'alert-rules-test',
    MetricName: name,
    MetricUnit: input.unit ?? (kind === 'histogram' ? 's' : ''),
    Attributes: attributes,
    StartTimeUnix: timestamp(t - clock.stepMs),
    TimeUnix: timestamp(t),
  });
  let previous: number | null = null;
  return expandValues(input.values).flatMap((value, i): Record<string, unknown>[] => {
    if (value === null) return [];
    const t = clock.start + i * clock.stepMs;
    if (kind === 'gauge') return [{ ...base(t), Value: value }];
    if (kind === 'sum') {
      // A drop is a counter reset: the new total is the delta, as cumulativetodelta treats it.
      const delta = previous === null ? value : value >= previous ? value - previous : value;
      previous = value;
      return [{ ...base(t), Value: delta, AggregationTemporality: 1, IsMonotonic: true }];
    }
    const bounds = input.bounds ?? httpDurationBounds;
    const count = input.countPerStep ?? 10;
    const bucket = bounds.findIndex((b) => value <= b);
    const counts = new Array<number>(bounds.length + 1).fill(0);
    counts[bucket < 0 ? bounds.length : bucket] = count;
    return [
      {
        ...base(t),
        Count: count,
        Sum: value * count,
        BucketCounts: counts,
        ExplicitBounds: bounds,
        Min: value,
        Max: value,
        AggregationTemporality: 1,
      },
    ];
  });
}

/** Backwards-compatible name: histogram rows only. */
export const histogramRows = (input: InputSeries, clock: SeriesClock) =>
  seriesRows({ ...input, kind: 'histogram' }, clock);

export async function insertSeries(
  client: Store['client'],
  series: InputSeries[],
  clock: SeriesClock,
): Promise<void> {
  const byKind = Map.groupBy(series, (s) => s.kind ?? 'histogram');
  for (const [kind, list] of byKind) {
    const values = list.flatMap((s) => seriesRows(s, clock));
    if (values.length > 0) await client.insert({ table: tableOf[kind], values, format: 'JSONEachRow' });
  }
}

export const insertHistograms = insertSeries;
