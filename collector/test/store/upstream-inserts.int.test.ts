// Our tables take the OpenTelemetry Collector ClickHouse exporter's inserts unchanged: each insert
// column list of the exporter's current version (internal/sqltemplates/*_insert.sql and the
// metrics models' appends, with EventName on logs) goes into our table as the exporter sends it,
// so the official collector can write into a store this product reads. Also the in-place migration
// of a logs table made before EventName existed: the column is added and old rows are kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/index.ts';
import { migrate } from '../../src/store/migrations.ts';
import { logsTable } from '../../src/store/schema.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collector-upstream-inserts-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const resourceAndScope = [
  'ResourceAttributes',
  'ResourceSchemaUrl',
  'ScopeName',
  'ScopeVersion',
  'ScopeAttributes',
  'ScopeDroppedAttrCount',
  'ScopeSchemaUrl',
  'ServiceName',
  'MetricName',
  'MetricDescription',
  'MetricUnit',
  'Attributes',
  'StartTimeUnix',
  'TimeUnix',
];
const exemplars = [
  'Exemplars.FilteredAttributes',
  'Exemplars.TimeUnix',
  'Exemplars.Value',
  'Exemplars.SpanId',
  'Exemplars.TraceId',
];

/** The exporter's insert column list per table (opentelemetry-collector-contrib, exporter/clickhouseexporter). */
const upstreamInserts: Record<string, string[]> = {
  otel_metrics_gauge: [...resourceAndScope, 'Value', 'Flags', ...exemplars],
  otel_metrics_sum: [
    ...resourceAndScope,
    'Value',
    'Flags',
    ...exemplars,
    'AggregationTemporality',
    'IsMonotonic',
  ],
  otel_metrics_histogram: [
    ...resourceAndScope,
    'Count',
    'Sum',
    'BucketCounts',
    'ExplicitBounds',
    ...exemplars,
    'Flags',
    'Min',
    'Max',
    'AggregationTemporality',
  ],
  otel_metrics_exponential_histogram: [
    ...resourceAndScope,
    'Count',
    'Sum',
    'Scale',
    'ZeroCount',
    'PositiveOffset',
    'PositiveBucketCounts',
    'NegativeOffset',
    'NegativeBucketCounts',
    ...exemplars,
    'Flags',
    'Min',
    'Max',
    'AggregationTemporality',
  ],
  otel_metrics_summary: [
    ...resourceAndScope,
    'Count',
    'Sum',
    'ValueAtQuantiles.Quantile',
    'ValueAtQuantiles.Value',
    'Flags',
  ],
  otel_traces: [
    'Timestamp',
    'TraceId',
    'SpanId',
    'ParentSpanId',
    'TraceState',
    'SpanName',
    'SpanKind',
    'ServiceName',
    'ResourceAttributes',
    'ScopeName',
    'ScopeVersion',
    'SpanAttributes',
    'Duration',
    'StatusCode',
    'StatusMessage',
    'Events.Timestamp',
    'Events.Name',
    'Events.Attributes',
    'Links.TraceId',
    'Links.SpanId',
    'Links.TraceState',
    'Links.Attributes',
  ],
  otel_logs: [
    'Timestamp',
    'TraceId',
    'SpanId',
    'TraceFlags',
    'SeverityText',
    'SeverityNumber',
    'ServiceName',
    'Body',
    'ResourceSchemaUrl',
    'ResourceAttributes',
    'ScopeSchemaUrl',
    'ScopeName',
    'ScopeVersion',
    'ScopeAttributes',
    'LogAttributes',
    'EventName',
  ],
};

/** A literal of the column's type, as the exporter would bind it. */
function literal(type: string): string {
  if (type.startsWith('Map(')) return "map('k', 'v')";
  if (type.startsWith('Array(')) return '[]';
  if (/DateTime/.test(type)) return "toDateTime64('2026-12-07 10:00:00.123456789', 9)";
  if (/String/.test(type)) return "'upstream'";
  if (/Bool/.test(type)) return 'true';
  return '1';
}

async function columnTypes(table: string): Promise<Map<string, string>> {
  const result = await store.client.query({
    query:
      'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String}',
    query_params: { table },
    format: 'JSONEachRow',
  });
  return new Map((await result.json<{ name: string; type: string }>()).map((c) => [c.name, c.type]));
}

describe("the exporter's inserts", () => {
  it('go into every table unchanged', async () => {
    for (const [table, columns] of Object.entries(upstreamInserts)) {
      const types = await columnTypes(table);
      const missing = columns.filter((c) => !types.has(c));
      expect(missing, table).toEqual([]);
      const values = columns.map((c) => literal(types.get(c) ?? ''));
      await store.client.command({
        query: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')})`,
      });
      const count = await store.client.query({
        query: `SELECT count() AS n FROM ${table} WHERE ServiceName = 'upstream'`,
        format: 'JSONEachRow',
      });
      expect(
        (await count.json<{ n: number | string }>()).map((r) => Number(r.n)),
        table,
      ).toEqual([1]);
    }
  });

  it('find EventName on a logs table made before it existed, migrated in place with its rows', async () => {
    // A table of the old layout in this store (chDB opens one data directory per process).
    const { client } = store;
    await client.command({ query: 'DROP TABLE IF EXISTS otel_logs' });
    await client.command({ query: logsTable.replace(/\n\s*EventName String CODEC\(ZSTD\(1\)\),/, '') });
    expect((await columnTypes('otel_logs')).has('EventName')).toBe(false);
    await client.command({
      query: "INSERT INTO otel_logs (Timestamp, ServiceName, Body) VALUES (now64(9), 'before', 'kept')",
    });
    await client.command({ query: 'ALTER TABLE cp_schema_migrations DELETE WHERE Version = 11' });
    await migrate(client);
    const columns = [...(await columnTypes('otel_logs')).keys()];
    expect(columns.indexOf('EventName')).toBe(columns.indexOf('LogAttributes') + 1);
    const rows = await client.query({
      query: "SELECT Body, EventName FROM otel_logs WHERE ServiceName = 'before'",
      format: 'JSONEachRow',
    });
    expect(await rows.json()).toEqual([{ Body: 'kept', EventName: '' }]);
  });
});
