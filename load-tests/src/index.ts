// Public surface of the load-tests package: the k6 launcher and what it needs around it.
export type {
  DistributedRun,
  DistributedRunInput,
  DistributedRunResult,
  ExecutionSegment,
  SegmentOutcome,
} from './distributed.ts';
export { executionSegments, runDistributed } from './distributed.ts';
export type { RunEvent, RunEventListener, RunLogEvent, RunStateEvent, RunStatusEvent } from './events.ts';
export type { ExitOutcome, StopCause } from './exit-codes.ts';
export { exitCodeMeaning, K6_EXIT_CODES, outcomeOfExit, SHUT_DOWN, STOPPED_BY_USER } from './exit-codes.ts';
export { K6NotFoundError, resolveK6Path } from './k6-binary.ts';
export type { EnvVar, TestRunInput, TestRunManifest } from './k6-operator.ts';
export {
  archiveArgs,
  archiveConfigMap,
  buildArchive,
  DEFAULT_RUNNER_IMAGE,
  testRunManifest,
} from './k6-operator.ts';
export type { HistogramLayout, K6CommandInput } from './k6-process.ts';
export { buildK6Command, otelEnv } from './k6-process.ts';
export type { Launcher, LauncherOptions, LaunchInput, RunLimits } from './launcher.ts';
export { createLauncher, RunQueueFullError } from './launcher.ts';
export type { ClickHouseInsertClient, RunRecorder, RunRow } from './recorder.ts';
export { createClickHouseRunRecorder, runToRow } from './recorder.ts';
export type { Baseline } from './results/baselines.ts';
export {
  BASELINES_TABLE,
  BaselineError,
  clearBaseline,
  markBaseline,
  readBaseline,
  readBaselines,
} from './results/baselines.ts';
export type {
  Change,
  Delta,
  EndpointDelta,
  RankedMetric,
  RunComparison,
  ThresholdPair,
} from './results/compare.ts';
export { ALL_REQUESTS, compareResults, compareRuns, MIN_REQUESTS_TO_JUDGE } from './results/compare.ts';
export type { DistributionBucket, LatencyStats } from './results/latency.ts';
export type { NoiseBand } from './results/noise.ts';
export {
  comparableRuns,
  ERROR_RATE_NOISE,
  FIXED_NOISE_PCT,
  MIN_HISTORY_RUNS,
  noiseBand,
} from './results/noise.ts';
export { reportHtml } from './results/report-html.ts';
export type { ReportTable, Table } from './results/report-tables.ts';
export { REPORT_TABLES, reportCsv, reportJson, reportTable, tableToCsv } from './results/report-tables.ts';
export type { RunReport, SeriesPoint } from './results/run-report.ts';
export { queryRunReport } from './results/run-report.ts';
export type {
  EndpointResult,
  RunResults,
  RunResultsOptions,
  ServerMetrics,
  StatusErrors,
} from './results/run-results.ts';
export { queryRunResults } from './results/run-results.ts';
export type { StoreThreshold } from './results/store-thresholds.ts';
export { judgeThresholds } from './results/store-thresholds.ts';
export type { TrendPoint } from './results/trend.ts';
export { scenarioTrend } from './results/trend.ts';
export type { RunTimings } from './run-execution.ts';
export type {
  AbortedRun,
  ActiveRun,
  CheckResult,
  EndedRun,
  EndpointStats,
  FailedRun,
  FinishedRun,
  LiveStatus,
  LiveThreshold,
  LostRun,
  QueuedRun,
  Run,
  RunningRun,
  RunResult,
  RunState,
  RunStats,
  StartingRun,
  StoppingRun,
  TerminalRunState,
  ThresholdResult,
} from './run-state.ts';
export { canTransition, isTerminal, LOST_REASON, nextStates, RUN_STATES } from './run-state.ts';
export type { StoreClient, StoredRun } from './run-store.ts';
export { markLostRuns, RUNS_TABLE, RunNotFoundError, readRun, readScenarioRuns } from './run-store.ts';
export type { ScenarioDefinition, ScenarioName, ScenarioParams, ValidationIssue } from './scenarios.ts';
export {
  getScenario,
  normalizeTarget,
  ParamValidationError,
  parseDuration,
  parseScenarioParams,
  scaledVus,
  scenarioParamsSchema,
  scenarios,
} from './scenarios.ts';
export type { AggregatedResult } from './segment-aggregate.ts';
export { aggregateSummaries } from './segment-aggregate.ts';
export type { K6Summary } from './summary.ts';
export { parseSummary, readSummaryFile, resultFromSummary, SummaryParseError } from './summary.ts';
