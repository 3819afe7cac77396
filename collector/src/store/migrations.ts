// Ordered, versioned schema migrations. Each statement is idempotent, so a crash halfway
// through a migration is repaired by running it again; a version is recorded once applied.
import type { ClickHouseClient } from '@clickhouse/client';
import {
  alertEventsTable,
  logsTable,
  metricsExponentialHistogramTable,
  metricsGaugeTable,
  metricsHistogramTable,
  metricsSummaryTable,
  metricsSumTable,
  notificationsTable,
  runsTable,
  tracesTable,
} from './schema.ts';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'otel metrics tables',
    statements: [metricsGaugeTable, metricsSumTable, metricsHistogramTable],
  },
  { version: 2, name: 'otel traces table', statements: [tracesTable] },
  {
    version: 3,
    name: 'control plane: runs, alert events, notifications',
    statements: [runsTable, alertEventsTable, notificationsTable],
  },
  { version: 4, name: 'otel logs table', statements: [logsTable] },
  {
    version: 5,
    name: 'otel exponential histogram and summary tables',
    statements: [metricsExponentialHistogramTable, metricsSummaryTable],
  },
];

export async function migrate(client: ClickHouseClient): Promise<number[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS cp_schema_migrations (
      Version UInt32, Name String, AppliedAt DateTime64(3)
    ) ENGINE = ReplacingMergeTree ORDER BY Version`,
  });
  const result = await client.query({
    query: 'SELECT Version FROM cp_schema_migrations FINAL',
    format: 'JSONEachRow',
  });
  const applied = new Set((await result.json<{ Version: number }>()).map((r) => Number(r.Version)));
  const appliedNow: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements) await client.command({ query: statement });
    await client.insert({
      table: 'cp_schema_migrations',
      values: [{ Version: migration.version, Name: migration.name, AppliedAt: Date.now() }],
      format: 'JSONEachRow',
    });
    appliedNow.push(migration.version);
  }
  return appliedNow;
}
