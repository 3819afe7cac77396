// Ordered, versioned schema migrations. Each statement is idempotent, so a crash halfway
// through a migration is repaired by running it again; a version is recorded once applied.
import type { ClickHouseClient } from '@clickhouse/client';
import { type ClusterOptions, clusterStatement } from './cluster-ddl.ts';
import {
  alertEventsTable,
  logsEventNameColumn,
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
import {
  alertAcksTable,
  apiTokensTable,
  auditLogTable,
  experimentsTable,
  receiversTable,
  runBaselinesTable,
  runSamplesTable,
  runsReasonColumn,
  schedulesTable,
  sessionsTable,
  silencesTable,
  usersTable,
} from './schema-control-plane.ts';
import { rollupStatements, traceIdTsTable, traceIdTsView } from './schema-rollups.ts';

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
  {
    version: 6,
    name: 'otel traces trace-id lookup table and view',
    statements: [traceIdTsTable, traceIdTsView],
  },
  { version: 7, name: 'metric rollups at 10 s and 1 min', statements: rollupStatements },
  {
    version: 8,
    name: 'control plane: silences, acknowledgements, audit log, run baselines',
    statements: [silencesTable, alertAcksTable, auditLogTable, runBaselinesTable],
  },
  { version: 9, name: 'control plane: the reason a run ended', statements: [runsReasonColumn] },
  { version: 10, name: 'control plane: dashboard sessions', statements: [sessionsTable] },
  {
    version: 11,
    name: 'otel logs: EventName, as in the exporter’s current layout',
    statements: [logsEventNameColumn],
  },
  {
    version: 12,
    name: 'control plane: every request duration of a load-test run',
    statements: [runSamplesTable],
  },
  { version: 13, name: 'control plane: API tokens', statements: [apiTokensTable] },
  { version: 14, name: 'control plane: scheduled runs', statements: [schedulesTable] },
  { version: 15, name: 'control plane: alert receivers added in the UI', statements: [receiversTable] },
  { version: 16, name: 'control plane: dashboard users made in the UI', statements: [usersTable] },
  { version: 17, name: 'control plane: experiments and their runs', statements: [experimentsTable] },
];

/** Applies the pending migrations; with `cluster`, as ON CLUSTER DDL with Replicated engines. */
export async function migrate(client: ClickHouseClient, cluster?: ClusterOptions): Promise<number[]> {
  await client.command({
    query: clusterStatement(
      `CREATE TABLE IF NOT EXISTS cp_schema_migrations (
      Version UInt32, Name String, AppliedAt DateTime64(3)
    ) ENGINE = ReplacingMergeTree ORDER BY Version`,
      cluster,
    ),
  });
  const result = await client.query({
    query: 'SELECT Version FROM cp_schema_migrations FINAL',
    format: 'JSONEachRow',
  });
  const applied = new Set((await result.json<{ Version: number }>()).map((r) => Number(r.Version)));
  const appliedNow: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements)
      await client.command({ query: clusterStatement(statement, cluster) });
    await client.insert({
      table: 'cp_schema_migrations',
      values: [{ Version: migration.version, Name: migration.name, AppliedAt: Date.now() }],
      format: 'JSONEachRow',
    });
    appliedNow.push(migration.version);
  }
  return appliedNow;
}
