// Test data in the promtool style: a series selector plus expanding values ("0.3x9", "1+1x4",
// "_" for a missing sample), turned into delta rows of otel_metrics_histogram. For a histogram
// each value is the latency (seconds) of every observation in that step.
import type { Store } from 'collector';

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
        if (Number.isNaN(n)) throw new SyntaxError(`bad series value "${term}"`);
        return [n];
      }
      const start = Number(m[1]);
      const delta = (m[2] === '-' ? -1 : 1) * Number(m[3] ?? 0);
      return Array.from({ length: Number(m[4]) + 1 }, (_, i) => start + i * delta);
    });
}

/** `name{key="value", …}`; label keys may contain dots. */
export function parseSelector(text: string): { name: string; labels: Record<string, string> } {
  const m = /^\s*([^{\s]+)\s*(?:\{(.*)\})?\s*$/.exec(text);
  if (!m) throw new SyntaxError(`bad series selector "${text}"`);
  const labels: Record<string, string> = {};
  for (const pair of (m[2] ?? '').matchAll(/([\w.]+)\s*=\s*"((?:[^"\\]|\\.)*)"/g))
    labels[pair[1]!] = pair[2]!;
  return { name: m[1]!, labels };
}

export interface HistogramSeries {
  /** e.g. `http.server.request.duration{service="car-suggester", http.route="/cars"}` */
  series: string;
  values: string;
  /** Observations per step (default 10). */
  countPerStep?: number;
  bounds?: number[];
}

export interface SeriesClock {
  /** Unix ms of the first value. */
  start: number;
  stepMs: number;
}

const timestamp = (ms: number) => (ms / 1000).toFixed(3);

export function histogramRows(input: HistogramSeries, clock: SeriesClock): Record<string, unknown>[] {
  const { name, labels } = parseSelector(input.series);
  const { service = '', ...attributes } = labels;
  const bounds = input.bounds ?? httpDurationBounds;
  const count = input.countPerStep ?? 10;
  return expandValues(input.values).flatMap((latency, i) => {
    if (latency === null) return [];
    const t = clock.start + i * clock.stepMs;
    const bucket = bounds.findIndex((b) => latency <= b);
    const counts = new Array<number>(bounds.length + 1).fill(0);
    counts[bucket < 0 ? bounds.length : bucket] = count;
    return [
      {
        ResourceAttributes: { 'service.name': service },
        ServiceName: service,
        ScopeName: 'alert-rules-test',
        MetricName: name,
        MetricUnit: 's',
        Attributes: attributes,
        StartTimeUnix: timestamp(t - clock.stepMs),
        TimeUnix: timestamp(t),
        Count: count,
        Sum: latency * count,
        BucketCounts: counts,
        ExplicitBounds: bounds,
        Min: latency,
        Max: latency,
        AggregationTemporality: 1,
      },
    ];
  });
}

export async function insertHistograms(
  client: Store['client'],
  series: HistogramSeries[],
  clock: SeriesClock,
): Promise<void> {
  const values = series.flatMap((s) => histogramRows(s, clock));
  await client.insert({ table: 'otel_metrics_histogram', values, format: 'JSONEachRow' });
}
