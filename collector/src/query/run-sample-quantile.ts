// The one definition of a load run's exact percentiles over its request samples (cp_run_samples,
// migration 12): ClickHouse's quantileExactInclusive — R-7, linear between the samples around rank
// p·(n−1), k6's own formula. load-tests' queryRunPercentiles builds its query from these names, and
// the alert rule LoadRunLatencyThresholdFailing (alert-rules/rules/k6.yaml, YAML cannot import)
// is held to them by alert-rules/test/k6-rule-quantile.test.ts.

/** The table of every request duration of a load run (RunId, Segment, Name, …, TimeUnix, DurationMs). */
export const RUN_SAMPLES_TABLE = 'cp_run_samples';
/** Its columns in the order writers insert them (load-tests' k6 CSV ingest, the rule tests' samples). */
export const RUN_SAMPLE_COLUMNS: [string, ...string[]] = [
  'RunId',
  'Segment',
  'Name',
  'Method',
  'Status',
  'ExpectedResponse',
  'TimeUnix',
  'DurationMs',
];
/** One percentile: `quantileExactInclusive(0.95)(DurationMs)`. */
export const RUN_SAMPLE_QUANTILE = 'quantileExactInclusive';
/** Several at once, same definition: `quantilesExactInclusive(0.5, 0.95)(DurationMs)`. */
export const RUN_SAMPLE_QUANTILES = 'quantilesExactInclusive';
