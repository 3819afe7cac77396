// The stored rows a rule reads over a window, column for column as the collector hands accepted
// rows to the engine: what a live window (engine/live-window.ts) is seeded with after a start or
// a restart, so it continues from the store instead of from nothing.
import { type Store, whereClause } from 'collector';
import type { LiveRow } from '../engine/live-window.ts';
import type { StatRule } from '../rule-schema.ts';

type Client = Store['client'];

const common = `ServiceName, MetricName, Attributes, ResourceAttributes, ScopeName,
      toString(toUnixTimestamp64Nano(TimeUnix)) AS nanos, toString(toUnixTimestamp64Nano(StartTimeUnix)) AS start`;

const tableOf = { histogram: 'otel_metrics_histogram', sum: 'otel_metrics_sum', gauge: 'otel_metrics_gauge' };

/** Nanoseconds since the epoch as the collector's DateTime64(9) text, "S.NNNNNNNNN". */
const dateTime64 = (nanos: string) => {
  const digits = nanos.padStart(19, '0');
  return `${digits.slice(0, -9)}.${digits.slice(-9)}`;
};

/** The rule's rows with TimeUnix in [from, to): its metric, service and `where`, raw (never a rollup). */
export async function queryWindowRows(
  client: Client,
  rule: StatRule,
  window: { from: number; to: number },
): Promise<LiveRow[]> {
  const where = whereClause({ metric: rule.metric, serviceName: rule.service, where: rule.where }, window);
  const columns =
    rule.kind === 'histogram'
      ? `${common}, Count, Sum, BucketCounts, ExplicitBounds, Min, Max`
      : `${common}, Value`;
  const result = await client.query({
    query: `SELECT ${columns} FROM ${tableOf[rule.kind]} WHERE ${where.query}`,
    query_params: where.query_params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((r) => {
    const base = {
      ServiceName: String(r.ServiceName),
      MetricName: String(r.MetricName),
      Attributes: r.Attributes as Record<string, string>,
      ResourceAttributes: r.ResourceAttributes as Record<string, string>,
      ScopeName: String(r.ScopeName),
      TimeUnix: dateTime64(String(r.nanos)),
      StartTimeUnix: dateTime64(String(r.start)),
      nanos: BigInt(String(r.nanos)),
    };
    if (rule.kind !== 'histogram') return { ...base, Value: Number(r.Value) };
    return {
      ...base,
      Count: Number(r.Count),
      Sum: Number(r.Sum),
      BucketCounts: (r.BucketCounts as unknown[]).map(Number),
      ExplicitBounds: (r.ExplicitBounds as unknown[]).map(Number),
      Min: Number(r.Min),
      Max: Number(r.Max),
    };
  });
}
