// Maps parsed Prometheus families to the collector's OTLP model, as the OTel Collector's
// prometheus receiver does: counters → cumulative monotonic sums, histograms → cumulative
// explicit-bucket histograms (cumulative `le` buckets → per-bucket counts, +Inf → the overflow
// bucket), summaries → summaries, gauges and untyped → gauges. Prometheus has no start times, so
// the scraper supplies one per series (see scrape-target.ts); the normaliser then turns the
// cumulative points into deltas exactly as it does for OTLP.
import type { Attributes, HistogramPoint, Metric, NumberPoint, SummaryPoint } from '../otlp/model.ts';
import { Temporality } from '../otlp/model.ts';
import type { PromFamily, PromSample } from './prom-text.ts';

export interface ConvertContext {
  /** Scrape time, used for samples without their own timestamp. */
  timeUnixNano: bigint;
  /** The start time of a cumulative series (key: family name + its labels). */
  startOf(seriesKey: string): bigint;
}

const nanosOf = (sample: PromSample | undefined, ctx: ConvertContext) =>
  sample?.timestampMs !== undefined ? BigInt(sample.timestampMs) * 1_000_000n : ctx.timeUnixNano;

export function seriesKeyOf(family: string, labels: Attributes): string {
  return JSON.stringify([family, Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

function without(labels: Attributes, key: string): Attributes {
  const { [key]: _dropped, ...rest } = labels;
  return rest;
}

export function familiesToMetrics(families: PromFamily[], ctx: ConvertContext): Metric[] {
  const metrics: Metric[] = [];
  for (const family of families) {
    const base = { name: family.name, description: family.help, unit: '' };
    switch (family.type) {
      case 'counter':
        metrics.push({
          ...base,
          type: 'sum',
          temporality: Temporality.cumulative,
          isMonotonic: true,
          points: family.samples.map((s) =>
            numberPoint(s, ctx, ctx.startOf(seriesKeyOf(family.name, s.labels))),
          ),
        });
        break;
      case 'gauge':
      case 'untyped':
        metrics.push({ ...base, type: 'gauge', points: family.samples.map((s) => numberPoint(s, ctx, 0n)) });
        break;
      case 'histogram':
        metrics.push({
          ...base,
          type: 'histogram',
          temporality: Temporality.cumulative,
          points: histogramPoints(family, ctx),
        });
        break;
      case 'summary':
        metrics.push({ ...base, type: 'summary', points: summaryPoints(family, ctx) });
        break;
      default: {
        const unknownType: never = family.type;
        throw new Error(`unhandled Prometheus type ${String(unknownType)}`);
      }
    }
  }
  return metrics;
}

function numberPoint(s: PromSample, ctx: ConvertContext, start: bigint): NumberPoint {
  return {
    attributes: s.labels,
    startTimeUnixNano: start,
    timeUnixNano: nanosOf(s, ctx),
    value: s.value,
    flags: 0,
    exemplars: [],
  };
}

interface Group<T> {
  labels: Attributes;
  parts: T[];
  sum?: PromSample;
  count?: PromSample;
}

/** Samples of one family grouped into series by their labels less `dimension` (le / quantile). */
function groupSeries(family: PromFamily, dimension: string, partSuffix: string) {
  const groups = new Map<string, Group<{ at: number; sample: PromSample }>>();
  for (const sample of family.samples) {
    const labels = without(sample.labels, dimension);
    const key = seriesKeyOf(family.name, labels);
    let group = groups.get(key);
    if (!group) {
      group = { labels, parts: [] };
      groups.set(key, group);
    }
    if (sample.name === `${family.name}_sum`) group.sum = sample;
    else if (sample.name === `${family.name}_count`) group.count = sample;
    else if (sample.name === family.name + partSuffix) {
      const at = Number(sample.labels[dimension] === '+Inf' ? Infinity : sample.labels[dimension]);
      // A part without a parsable le/quantile label can't be placed: NaN marks it invalid below.
      group.parts.push({ at: sample.labels[dimension] === undefined ? Number.NaN : at, sample });
    }
  }
  return groups;
}

function histogramPoints(family: PromFamily, ctx: ConvertContext): HistogramPoint[] {
  const points: HistogramPoint[] = [];
  for (const [key, group] of groupSeries(family, 'le', '_bucket')) {
    const buckets = group.parts.sort((a, b) => a.at - b.at);
    const finite = buckets.filter((b) => Number.isFinite(b.at));
    const inf = buckets.find((b) => b.at === Infinity)?.sample.value;
    const count = inf ?? group.count?.value ?? 0;
    const invalid = buckets.some((b) => Number.isNaN(b.at));
    const cumulative = [...finite.map((b) => b.sample.value), count];
    points.push({
      attributes: group.labels,
      startTimeUnixNano: ctx.startOf(key),
      timeUnixNano: nanosOf(group.count ?? buckets[0]?.sample ?? group.sum, ctx),
      // An unplaceable bucket makes the counts disagree, so validation rejects the point.
      count: invalid ? -1 : (group.count?.value ?? count),
      sum: group.sum?.value ?? 0,
      explicitBounds: buckets.length ? finite.map((b) => b.at) : [],
      // Prometheus buckets are cumulative over le; OTLP's count each bucket alone.
      bucketCounts: buckets.length ? cumulative.map((c, i) => c - (i === 0 ? 0 : cumulative[i - 1]!)) : [],
      min: 0,
      max: 0,
      flags: 0,
      exemplars: [],
    });
  }
  return points;
}

function summaryPoints(family: PromFamily, ctx: ConvertContext): SummaryPoint[] {
  const points: SummaryPoint[] = [];
  for (const [key, group] of groupSeries(family, 'quantile', '')) {
    points.push({
      attributes: group.labels,
      startTimeUnixNano: ctx.startOf(key),
      timeUnixNano: nanosOf(group.count ?? group.parts[0]?.sample ?? group.sum, ctx),
      count: group.count?.value ?? 0,
      sum: group.sum?.value ?? 0,
      // A quantile with no observations in its window is NaN: it has no value to keep.
      quantileValues: group.parts
        .filter((p) => !Number.isNaN(p.sample.value))
        .map((p) => ({ quantile: p.at, value: p.sample.value })),
      flags: 0,
      exemplars: [],
    });
  }
  return points;
}
