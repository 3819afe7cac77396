// Public surface of the load-tests package: the bundle-safe model and results library (the same
// modules the `load-tests/model` and `load-tests/results` subpaths offer), plus the Node-only parts —
// the k6 launcher, distributed runs, the k6-operator manifests, k6's binary and summaries.
export type {
  DistributedRun,
  DistributedRunInput,
  DistributedRunResult,
  ExecutionSegment,
  SegmentOutcome,
} from './distributed.ts';
export { executionSegments, runDistributed } from './distributed.ts';
export type {
  Claim,
  ExperimentDefinition,
  OptimisationDefinition,
  VariantDefinition,
} from './experiments/definition.ts';
export {
  ExperimentDefinitionError,
  experimentDefinitionSchema,
  isExperimentDefinitionError,
  parseExperimentDefinition,
  parseExperimentYaml,
} from './experiments/definition.ts';
export type { Effect, MeanInterval, Verdict } from './experiments/effects.ts';
export { effectOf, meanInterval, VERDICTS, verdictOf } from './experiments/effects.ts';
export { loadExperimentFile } from './experiments/experiment-file.ts';
export { INTERRUPTED_REASON, recoverInterruptedExperiments } from './experiments/experiment-recovery.ts';
export type { ExperimentRecorder } from './experiments/experiment-store.ts';
export {
  createClickHouseExperimentRecorder,
  experimentOfRun,
  findExperiment,
  readRecentExperiments,
} from './experiments/experiment-store.ts';
export { experimentText, progressText } from './experiments/experiment-text.ts';
export type { RunSlot } from './experiments/interleave.ts';
export { interleavedOrder } from './experiments/interleave.ts';
export type {
  Experiment,
  ExperimentEvent,
  ExperimentRun,
  ExperimentState,
  RunScores,
} from './experiments/model.ts';
export { EXPERIMENT_STATES } from './experiments/model.ts';
export type { RunKpis } from './experiments/run-kpis.ts';
export type { ExperimentDeps } from './experiments/runner.ts';
export { runExperiment } from './experiments/runner.ts';
export type { KpiId, OptimisationKey, OptimisationSettings, Settings } from './experiments/settings.ts';
export {
  KPIS,
  OPTIMISATION_KEYS,
  OPTIMISATIONS_RESOURCE,
  optimisationSettingsSchema,
} from './experiments/settings.ts';
export type {
  ExperimentResult,
  OptimisationResult,
  ScoreComparison,
  VariantResult,
} from './experiments/summary.ts';
export { summariseExperiment } from './experiments/summary.ts';
export { preflightVariants, switchToVariant } from './experiments/switch-settings.ts';
export type { TargetSettingsClient } from './experiments/target-settings.ts';
export { createTargetSettingsClient, TargetSettingsError } from './experiments/target-settings.ts';
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
export { createLauncher } from './launcher.ts';
export * from './model.ts';
export type { RunRecorder } from './recorder.ts';
export { createClickHouseRunRecorder } from './recorder.ts';
export * from './results/index.ts';
export type { RunTimings } from './run-execution.ts';
export type { RunRow, StoredRunRow } from './run-store.ts';
export { appendRun, markLostRuns, runToRow, storedRunOfRow } from './run-store.ts';
export { scenarioScript } from './scenario-script.ts';
export type { AggregatedResult } from './segment-aggregate.ts';
export { aggregateSummaries } from './segment-aggregate.ts';
export type { K6Summary } from './summary.ts';
export { parseSummary, readSummaryFile, resultFromSummary, SummaryParseError } from './summary.ts';
