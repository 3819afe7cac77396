// load-tests' bundle-safe results library (`load-tests/results`): a run's report, compare, noise
// band, baselines, trends and exports, all read from the store through a client passed in. Nothing
// here (transitively) imports Node-only modules (the query builder comes from `collector/query`), so
// the dashboard's Next bundle may import it (dashboard/test/bundle-safe-surfaces.test.ts).
export type { StoreClient, StoredRun } from '../run-store.ts';
export { findRun, readRecentRuns, readRun, readScenarioRuns } from '../run-store.ts';
export type { Baseline } from './baselines.ts';
export { BASELINES_TABLE, clearBaseline, markBaseline, readBaseline, readBaselines } from './baselines.ts';
export type { Change, Delta, EndpointDelta, RankedMetric, RunComparison, ThresholdPair } from './compare.ts';
export { ALL_REQUESTS, compareResults, compareRuns, MIN_REQUESTS_TO_JUDGE } from './compare.ts';
export type { DistributionBucket, LatencyStats } from './latency.ts';
export type { NoiseBand } from './noise.ts';
export { comparableRuns, ERROR_RATE_NOISE, FIXED_NOISE_PCT, MIN_HISTORY_RUNS, noiseBand } from './noise.ts';
export { reportHtml } from './report-html.ts';
export type { ReportTable, Table } from './report-tables.ts';
export { REPORT_TABLES, reportCsv, reportJson, reportTable, tableToCsv } from './report-tables.ts';
export type { RunPercentiles, RunPercentilesOptions } from './run-percentiles.ts';
export { queryRunPercentiles } from './run-percentiles.ts';
export type { RunReport, SeriesPoint } from './run-report.ts';
export { queryRunReport } from './run-report.ts';
export type {
  EndpointResult,
  RunResults,
  RunResultsOptions,
  ServerMetrics,
  StatusErrors,
} from './run-results.ts';
export { queryRunResults } from './run-results.ts';
export type { StoreThreshold } from './store-thresholds.ts';
export { judgeThresholds } from './store-thresholds.ts';
export type { TrendPoint } from './trend.ts';
export { scenarioTrend } from './trend.ts';
