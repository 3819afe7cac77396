// Public surface of the collector: the store factory, the OTLP receiver and the shared queries.
// The Node-only parts are listed here; the queries come from the bundle-safe `collector/query`.

export type { CollectorEnv } from './env.ts';
export {
  collectorEnvSchema,
  collectorOptionsFromEnv,
  parseCollectorEnv,
  portVariable,
  storeOptionsFromEnv,
} from './env.ts';
export { CumulativeToDelta } from './normalise/cumulative-to-delta.ts';
export { decodeLogsJson } from './otlp/json-logs.ts';
export { decodeMetricsJson } from './otlp/json-metrics.ts';
export { decodeTracesJson } from './otlp/json-traces.ts';
export type { LogRecord, ResourceLogs, ResourceMetrics, ResourceSpans } from './otlp/model.ts';
export { OtlpDecodeError } from './otlp/model.ts';
export { decodeLogsProto } from './otlp/proto-logs.ts';
export { decodeMetricsProto } from './otlp/proto-metrics.ts';
export { decodeTracesProto } from './otlp/proto-traces.ts';
// The bundle-safe query surface (`collector/query`), re-exported whole rather than listed twice.
export * from './query/index.ts';
export type { DiskQueueOptions, QueueRecord } from './queue/disk-queue.ts';
export { DiskQueue, QueueFullError } from './queue/disk-queue.ts';
export type { PromFamily, PromSample, PromType } from './scrape/prom-text.ts';
export { PromParseError, parsePromText } from './scrape/prom-text.ts';
export type { ScrapeTargetConfig } from './scrape/scrape-config.ts';
export { parseScrapeTargets } from './scrape/scrape-config.ts';
export type { ScrapeHealth } from './scrape/scrape-target.ts';
export type {
  AcceptedHistogramRow,
  AcceptedMetrics,
  AcceptedMetricsListener,
  AcceptedRowCommon,
  AcceptedValueRow,
} from './server/accepted-metrics.ts';
export { dateTime64ToUnixMillis } from './server/accepted-metrics.ts';
export type { CollectorOptions, CollectorServer } from './server/collector-server.ts';
export { startCollector } from './server/collector-server.ts';
export type { CollectorCounters, CollectorStats, Readiness } from './server/self-telemetry.ts';
export { prometheusText, readiness } from './server/self-telemetry.ts';
export type { ClusterOptions } from './store/cluster-ddl.ts';
export { clusterStatement, onClusterClause } from './store/cluster-ddl.ts';
export type { Store, StoreOptions } from './store/create-store.ts';
export { createStore, StoreLockedError } from './store/create-store.ts';
export type { Migration } from './store/migrations.ts';
export { migrate, migrations } from './store/migrations.ts';
export { DEFAULT_STORE_QUERY_TIMEOUT_MS, StoreTimeoutError } from './store/query-deadline.ts';
export type { RollupResolution } from './store/schema-rollups.ts';
export { histogramRollupTable, rollupSeconds, rollupTables, sumRollupTable } from './store/schema-rollups.ts';
export type { TtlDays } from './store/ttl.ts';
export { applyTtl, ttlStatements, ttlTables } from './store/ttl.ts';
export type { BatchWriterOptions } from './write/batch-writer.ts';
export type { InsertLatencySeries, RecentInsertLatency } from './write/insert-latency.ts';
