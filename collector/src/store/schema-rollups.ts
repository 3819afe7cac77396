// Trace-id lookup (the OTel Collector ClickHouse exporter's otel_traces_trace_id_ts + its MV) and
// the control plane's metric rollups: materialised views from the raw tables into
// AggregatingMergeTree at 10 s and 1 min. Rollup rows keep the raw column names (TimeUnix is the
// bucket start, Attributes the map) so whereClause() filters them unchanged.

/** Exporter layout (sqltemplates/traces_id_ts_lookup_table.sql) with its default engine. */
export const traceIdTsTable = `CREATE TABLE IF NOT EXISTS otel_traces_trace_id_ts (
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
) ENGINE = MergeTree
PARTITION BY toStartOfWeek(Start)
ORDER BY (TraceId)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`;

/** Exporter layout (sqltemplates/traces_id_ts_lookup_mv.sql). */
export const traceIdTsView = `CREATE MATERIALIZED VIEW IF NOT EXISTS otel_traces_trace_id_ts_mv
TO otel_traces_trace_id_ts
AS SELECT
    TraceId,
    min(Timestamp) AS Start,
    max(Timestamp) AS End
FROM otel_traces
WHERE TraceId != ''
GROUP BY TraceId`;

export type RollupResolution = '10s' | '1m';
export const rollupSeconds: Record<RollupResolution, number> = { '10s': 10, '1m': 60 };
export const histogramRollupTable = (r: RollupResolution) => `otel_metrics_histogram_${r}`;
export const sumRollupTable = (r: RollupResolution) => `otel_metrics_sum_${r}`;

const keyColumns = `
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    MetricName String CODEC(ZSTD(1)),
    AttributesHash UInt64,
    Attributes SimpleAggregateFunction(any, Map(String, String)) CODEC(ZSTD(1)),
    TimeUnix DateTime CODEC(Delta, ZSTD(1)),`;

const rollupTail = `ENGINE = AggregatingMergeTree
PARTITION BY toDate(TimeUnix)`;

function histogramRollup(r: RollupResolution): string[] {
  const table = histogramRollupTable(r);
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (${keyColumns}
    ExplicitBounds Array(Float64) CODEC(ZSTD(1)),
    BucketCounts AggregateFunction(sumForEach, Array(UInt64)),
    Count AggregateFunction(sum, UInt64),
    Sum AggregateFunction(sum, Float64),
    Min AggregateFunction(min, Float64),
    Max AggregateFunction(max, Float64)
) ${rollupTail}
ORDER BY (ServiceName, MetricName, TimeUnix, AttributesHash, ExplicitBounds)`,
    // Backfill, then the view: rerunning after a crash truncates and backfills again (migrations
    // run before the collector accepts writes, so nothing arrives in between).
    `TRUNCATE TABLE IF EXISTS ${table}`,
    `INSERT INTO ${table} ${histogramRollupSelect(r)}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv TO ${table} AS ${histogramRollupSelect(r)}`,
  ];
}

function histogramRollupSelect(r: RollupResolution): string {
  return `SELECT ServiceName, MetricName, AttributesHash, any(Attrs) AS Attributes, Bucket AS TimeUnix,
    ExplicitBounds, sumForEachState(BucketCounts) AS BucketCounts, sumState(Count) AS Count,
    sumState(Sum) AS Sum, minState(Min) AS Min, maxState(Max) AS Max
FROM (${keyed(r, 'ExplicitBounds, BucketCounts, Count, Sum, Min, Max', 'otel_metrics_histogram')})
GROUP BY ServiceName, MetricName, AttributesHash, Bucket, ExplicitBounds`;
}

/** The source rows with the rollup keys computed under names that shadow nothing. */
function keyed(r: RollupResolution, columns: string, table: string): string {
  return `SELECT ServiceName, MetricName, cityHash64(Attributes) AS AttributesHash, Attributes AS Attrs,
    toStartOfInterval(TimeUnix, toIntervalSecond(${rollupSeconds[r]})) AS Bucket, ${columns} FROM ${table}`;
}

function sumRollup(r: RollupResolution): string[] {
  const table = sumRollupTable(r);
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (${keyColumns}
    Value AggregateFunction(sum, Float64),
    Points AggregateFunction(count)
) ${rollupTail}
ORDER BY (ServiceName, MetricName, TimeUnix, AttributesHash)`,
    `TRUNCATE TABLE IF EXISTS ${table}`,
    `INSERT INTO ${table} ${sumRollupSelect(r)}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv TO ${table} AS ${sumRollupSelect(r)}`,
  ];
}

function sumRollupSelect(r: RollupResolution): string {
  return `SELECT ServiceName, MetricName, AttributesHash, any(Attrs) AS Attributes, Bucket AS TimeUnix,
    sumState(Value) AS Value, countState() AS Points
FROM (${keyed(r, 'Value', 'otel_metrics_sum')})
GROUP BY ServiceName, MetricName, AttributesHash, Bucket`;
}

export const rollupStatements: string[] = [
  ...histogramRollup('10s'),
  ...histogramRollup('1m'),
  ...sumRollup('10s'),
  ...sumRollup('1m'),
];

/** Every rollup table: truncate these too when clearing the raw metric tables (tests, resets). */
export const rollupTables: readonly string[] = (['10s', '1m'] as const).flatMap((r) => [
  histogramRollupTable(r),
  sumRollupTable(r),
]);
