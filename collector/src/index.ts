// Public surface of the collector: the store factory, the OTLP receiver and the shared queries.
export { parseCollectorEnv } from './env.ts';
export type { CollectorEnv } from './env.ts';
export { createStore, StoreLockedError } from './store/create-store.ts';
export type { Store, StoreOptions } from './store/create-store.ts';
export { migrate, migrations } from './store/migrations.ts';
export type { Migration } from './store/migrations.ts';
export { startCollector } from './server/collector-server.ts';
export type { CollectorCounters, CollectorOptions, CollectorServer } from './server/collector-server.ts';
export { decodeMetricsProto } from './otlp/proto-metrics.ts';
export { decodeTracesProto } from './otlp/proto-traces.ts';
export { decodeMetricsJson, decodeTracesJson } from './otlp/json.ts';
export { OtlpDecodeError } from './otlp/model.ts';
export type { ResourceMetrics, ResourceSpans } from './otlp/model.ts';
export { CumulativeToDelta } from './normalise/cumulative-to-delta.ts';
export { histogramQuantile, mergeBuckets } from './query/histogram.ts';
export type { Buckets } from './query/histogram.ts';
export {
  attributeCondition,
  histogramBucketsQuery,
  queryHistogramBuckets,
  quantileOf,
  summarise,
  whereClause,
} from './query/metric-query.ts';
export type {
  AttributeFilter,
  FilterOp,
  HistogramBucketRow,
  HistogramSummary,
  MetricKind,
  MetricSelector,
  SqlQuery,
  TimeWindow,
} from './query/metric-query.ts';
export { queryHistogramSeries, queryStat, quantileStats, stats } from './query/stats.ts';
export type { QuantileStat, SeriesPoint, SeriesRequest, Stat, StatRequest } from './query/stats.ts';
