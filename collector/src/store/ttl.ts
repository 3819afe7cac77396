// Retention per table group, applied after the migrations with ALTER TABLE … MODIFY TTL: running
// it again with the same days changes nothing, with other days it replaces the TTL.
import type { ClickHouseClient } from '@clickhouse/client';
import { type ClusterOptions, clusterStatement } from './cluster-ddl.ts';
import { histogramRollupTable, sumRollupTable } from './schema-rollups.ts';

export interface TtlDays {
  metrics?: number | undefined;
  traces?: number | undefined;
  logs?: number | undefined;
}

const rawMetrics = ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'].map(
  (t) => [`otel_metrics_${t}`, 'toDateTime(TimeUnix)'] as const,
);
const rollups = (['10s', '1m'] as const).flatMap((r) => [
  [histogramRollupTable(r), 'TimeUnix'] as const,
  [sumRollupTable(r), 'TimeUnix'] as const,
]);

/** Table → the DateTime expression its TTL counts from, per group. */
export const ttlTables: Record<keyof TtlDays, ReadonlyArray<readonly [string, string]>> = {
  // A run's samples go with its metrics (its figures then come from the histograms, if still kept).
  metrics: [...rawMetrics, ...rollups, ['cp_run_samples', 'toDateTime(TimeUnix)']],
  traces: [
    ['otel_traces', 'toDateTime(Timestamp)'],
    ['otel_traces_trace_id_ts', 'Start'],
  ],
  logs: [['otel_logs', 'TimestampTime']],
};

export function ttlStatements(days: TtlDays): string[] {
  const out: string[] = [];
  for (const group of Object.keys(ttlTables) as (keyof TtlDays)[]) {
    const n = days[group];
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`TTL days for ${group} must be a positive integer`);
    for (const [table, column] of ttlTables[group])
      out.push(`ALTER TABLE ${table} MODIFY TTL ${column} + toIntervalDay(${n})`);
  }
  return out;
}

export async function applyTtl(
  client: ClickHouseClient,
  days: TtlDays,
  cluster?: ClusterOptions,
): Promise<string[]> {
  const statements = ttlStatements(days).map((s) => clusterStatement(s, cluster));
  for (const query of statements) await client.command({ query });
  return statements;
}
