// One rule's window in memory: the accepted rows it reads (histogram buckets, sums and counts,
// or values), per group of its `by` values, kept for the length of its window. Its statistic is
// computed with the collector's own arithmetic (summarise → statOfHistogram, statOfValues) on the
// same columns the store path sums, so both paths give the same value for the same rows.
import {
  type AcceptedHistogramRow,
  type AcceptedMetrics,
  type AcceptedRowCommon,
  type AcceptedValueRow,
  type HistogramBucketRow,
  statOfHistogram,
  statOfValues,
  summarise,
} from 'collector';
import { type GroupedRuleValue, labelNameOf } from '../evaluate.ts';
import type { StatRule } from '../rule-schema.ts';
import { filtersHold, groupValues, ruleReads } from './live-filter.ts';

interface EntryCommon {
  /** TimeUnix in whole ms (rounded down: exact against whole-ms window bounds) and in ns. */
  t: number;
  nanos: bigint;
  /** Identity of the stored point: a row seen both from the store and from the collector counts once. */
  id: string;
  group: string[];
}
type Entry =
  | (EntryCommon & {
      kind: 'histogram';
      bounds: readonly number[];
      counts: readonly number[];
      count: number;
      sum: number;
      min: number;
      max: number;
      matching: number;
    })
  | (EntryCommon & { kind: 'value'; value: number; part: number });

/** A stored or accepted row: the collector's accepted columns, whichever table it comes from. */
export type LiveRow = (AcceptedHistogramRow | AcceptedValueRow) & { nanos?: bigint };

export interface LiveWindow {
  readonly rule: StatRule;
  /** Adds the batch's rows this rule reads; true when there were any. */
  add(batch: AcceptedMetrics): boolean;
  /** Adds rows read back from the store (restoring the window); rows already held are skipped. */
  addRows(rows: LiveRow[]): void;
  /** The rule's value per group over [now - window, now) (default: the rule's window), as the store path answers it. */
  values(now: number, windowMs?: number): GroupedRuleValue[];
  /**
   * The next instant after `now` at which the rows in the window change without any arriving: a
   * row leaves it (its stamp + the window's length has passed) or a row stamped ahead enters it.
   * Null when no held row will. (Window lengths: the rule's, and a burn-rate rule's short one.)
   */
  nextChange(now: number, lengths: readonly number[]): number | null;
  /** Rows held. */
  size(): number;
}

const nanosOf = (text: string) => BigInt(text.replace('.', ''));
const sortedKey = (o: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function identity(row: AcceptedRowCommon, nanos: bigint): string {
  return [
    nanos,
    nanosOf(row.StartTimeUnix),
    row.ServiceName,
    row.ScopeName,
    sortedKey(row.Attributes),
    sortedKey(row.ResourceAttributes),
  ].join('\u0000');
}

/** The batch's rows of the table the rule reads. */
export function batchRows(rule: StatRule, batch: AcceptedMetrics): readonly LiveRow[] {
  return rule.kind === 'histogram' ? batch.histogram : rule.kind === 'sum' ? batch.sum : batch.gauge;
}

/** Holds rows for the rule's window (a burn-rate rule's short window lies inside it). */
export function createLiveWindow(rule: StatRule): LiveWindow {
  const windowMs = rule.windowMs;
  let entries: Entry[] = [];
  const ids = new Set<string>();
  const numerator = rule.numerator ?? [];

  function entryOf(row: LiveRow): Entry | null {
    if (!ruleReads(rule, row)) return null;
    const nanos = row.nanos ?? nanosOf(row.TimeUnix);
    const id = identity(row, nanos);
    if (ids.has(id)) return null;
    const common = { t: Number(nanos / 1_000_000n), nanos, id, group: groupValues(rule, row) };
    const counted = numerator.length > 0 && filtersHold(row.Attributes, numerator);
    if ('BucketCounts' in row)
      return {
        ...common,
        kind: 'histogram',
        bounds: row.ExplicitBounds,
        counts: row.BucketCounts,
        count: row.Count,
        sum: row.Sum,
        min: row.Min,
        max: row.Max,
        matching: counted ? row.Count : 0,
      };
    return { ...common, kind: 'value', value: row.Value, part: counted ? row.Value : 0 };
  }

  function push(rows: readonly LiveRow[]): boolean {
    let added = false;
    for (const row of rows) {
      const entry = entryOf(row);
      if (!entry) continue;
      entries.push(entry);
      ids.add(entry.id);
      added = true;
    }
    return added;
  }

  /** Rows older than two windows go: nothing evaluates that far back (evaluation times only grow). */
  function prune(now: number): void {
    const cutoff = now - 2 * windowMs;
    if (!entries.some((e) => e.t < cutoff)) return;
    entries = entries.filter((e) => {
      if (e.t >= cutoff) return true;
      ids.delete(e.id);
      return false;
    });
  }

  function statOf(members: Entry[], seconds: number): number | null {
    if (rule.kind === 'histogram') {
      // As the store's GROUP BY bounds with sumForEach(BucketCounts): one row per bucket layout.
      const byBounds = new Map<string, HistogramBucketRow>();
      for (const e of members) {
        if (e.kind !== 'histogram') continue;
        const key = e.bounds.join(',');
        const row = byBounds.get(key);
        if (!row) {
          byBounds.set(key, {
            t: 0,
            bounds: [...e.bounds],
            counts: [...e.counts],
            count: e.count,
            sum: e.sum,
            min: e.min,
            max: e.max,
            matching: e.matching,
          });
          continue;
        }
        e.counts.forEach((c, i) => {
          row.counts[i] = (row.counts[i] ?? 0) + c;
        });
        row.count += e.count;
        row.sum += e.sum;
        row.min = Math.min(row.min, e.min);
        row.max = Math.max(row.max, e.max);
        row.matching += e.matching;
      }
      return statOfHistogram(summarise([...byBounds.values()]), rule.stat, seconds);
    }
    let n = 0;
    let total = 0;
    let part = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let latest: { nanos: bigint; value: number } | null = null;
    for (const e of members) {
      if (e.kind !== 'value') continue;
      n++;
      total += e.value;
      part += e.part;
      lo = Math.min(lo, e.value);
      hi = Math.max(hi, e.value);
      if (!latest || e.nanos > latest.nanos) latest = { nanos: e.nanos, value: e.value };
    }
    return statOfValues(
      { n, total, part, mean: n > 0 ? total / n : 0, lo, hi, latest: latest?.value ?? 0 },
      rule.stat,
      seconds,
    );
  }

  return {
    rule,
    add(batch) {
      return push(batchRows(rule, batch));
    },
    addRows(rows) {
      push(rows);
    },
    values(now, length = rule.windowMs) {
      prune(now);
      const from = now - length;
      const seconds = length / 1000;
      const inWindow = entries.filter((e) => e.t >= from && e.t < now);
      const clean = (v: number | null) => (v === null || Number.isNaN(v) ? null : v);
      if (rule.by.length === 0) return [{ labels: {}, value: clean(statOf(inWindow, seconds)) }];
      const groups = Map.groupBy(inWindow, (e) => JSON.stringify(e.group));
      return [...groups.values()].map((members) => ({
        labels: Object.fromEntries(rule.by.map((k, i) => [labelNameOf(k), members[0]!.group[i] ?? ''])),
        value: clean(statOf(members, seconds)),
      }));
    },
    nextChange(now, lengths) {
      // In [now - length, now) means from ≤ t < now: a row enters at t + 1 and leaves at t + length + 1.
      let next = Number.POSITIVE_INFINITY;
      for (const e of entries)
        for (const length of lengths) {
          if (e.t >= now) next = Math.min(next, e.t + 1);
          else if (e.t >= now - length) next = Math.min(next, e.t + length + 1);
        }
      return Number.isFinite(next) ? next : null;
    },
    size: () => entries.length,
  };
}
