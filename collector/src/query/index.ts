// The collector's bundle-safe surface (`collector/query`): the query builder and statistics shared
// by the dashboard, the alert engine and load-test results, and the names of the collector's own
// metrics. Nothing here (transitively) imports Node-only modules, chDB or fastify — the client is a
// parameter, its type only — so the dashboard's Next bundle may import it (dashboard/test/bundle-safe-surfaces.test.ts).

export { selfMetricNames } from '../server/self-metric-names.ts';
export type { ExpHistogramQueryOptions, ExpHistogramRow, ExpHistogramSummary } from './exp-histogram.ts';
export {
  EXP_HISTOGRAM_TABLE,
  expBucketBounds,
  expHistogramBuckets,
  expHistogramQuantile,
  expHistogramQuery,
  mergeExpHistograms,
  queryExpHistogram,
} from './exp-histogram.ts';
export type { GroupedBucketRow, GroupedBucketsRequest } from './grouped-buckets.ts';
export {
  groupColumns,
  groupedBucketsQuery,
  histogramBucketsQuery,
  queryGroupedBuckets,
  queryHistogramBuckets,
} from './grouped-buckets.ts';
export type { GroupedStatRequest, GroupValue } from './grouped-stat.ts';
export { groupedStatQuery, queryGroupedStat } from './grouped-stat.ts';
export type { Buckets, Observed, QuantileBounds } from './histogram.ts';
export { histogramQuantile, histogramQuantileBounds, mergeBuckets } from './histogram.ts';
export type {
  AttributeFilter,
  FilterOp,
  HistogramBucketRow,
  HistogramSummary,
  MetricKind,
  MetricSelector,
  SqlQuery,
  TimeWindow,
} from './metric-query.ts';
export {
  attributeCondition,
  histogramAggregates,
  histogramBucketRowOf,
  mergeBucketRows,
  quantileBoundsOf,
  quantileOf,
  summarise,
  valueAggregates,
  whereClause,
} from './metric-query.ts';
export type { HistogramSource, SourcePart } from './rollup-source.ts';
export {
  chooseHistogramSource,
  histogramRollupAggregates,
  histogramSourceTable,
  planWindowSources,
  rollupMinWindowSeconds,
  sumRollupAggregates,
} from './rollup-source.ts';
export {
  RUN_SAMPLE_COLUMNS,
  RUN_SAMPLE_QUANTILE,
  RUN_SAMPLE_QUANTILES,
  RUN_SAMPLES_TABLE,
} from './run-sample-quantile.ts';
export type { BatchRequest, BatchSelector } from './stat-batch.ts';
export {
  histogramBatchesQuery,
  histogramBatchQuery,
  planBatchSources,
  queryHistogramBatch,
  queryHistogramBatches,
} from './stat-batch.ts';
export type { QuantileStat, SeriesPoint, SeriesRequest, Stat, StatRequest } from './stats.ts';
export {
  quantileStats,
  queryHistogramSeries,
  queryStat,
  seriesFromBuckets,
  statOfHistogram,
  statOfValues,
  stats,
  sumStatQuery,
} from './stats.ts';
export type { ValueBatchRequest, ValueSelector } from './value-batch.ts';
export { queryValueBatch, queryValueBatches, valueBatchesQuery, valueBatchQuery } from './value-batch.ts';
