// load-tests' bundle-safe model (`load-tests/model`): a run's states and lifecycle, the scenario
// catalogue and its parameter schema, k6's exit codes, and the errors a launch or a read can end
// with, each with a guard that works across copies of the module (error-brand.ts). Nothing here
// (transitively) imports Node-only modules, so the dashboard's Next bundle may import it
// (dashboard/test/bundle-safe-surfaces.test.ts walks the import graph).
export type { RunEvent, RunEventListener, RunLogEvent, RunStateEvent, RunStatusEvent } from './events.ts';
export type { ExitOutcome, StopCause } from './exit-codes.ts';
export { exitCodeMeaning, K6_EXIT_CODES, outcomeOfExit, SHUT_DOWN, STOPPED_BY_USER } from './exit-codes.ts';
export { BaselineError, isBaselineError } from './results/baselines.ts';
export type {
  ExitReport,
  RunExecutionEvent,
  RunExecutionEventType,
  RunReduction,
  SegmentExit,
} from './run-lifecycle.ts';
export { reduceRun } from './run-lifecycle.ts';
export { isRunQueueFullError, RunQueueFullError } from './run-queue-full.ts';
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
  PercentileOrigin,
  PercentileSource,
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
export { isRunNotFoundError, RUNS_TABLE, RunNotFoundError } from './run-store.ts';
export type { ScenarioDefinition, ScenarioName, ScenarioParams, ValidationIssue } from './scenarios.ts';
export {
  getScenario,
  isParamValidationError,
  normalizeTarget,
  ParamValidationError,
  parseDuration,
  parseScenarioParams,
  scaledVus,
  scenarioParamsSchema,
  scenarios,
} from './scenarios.ts';
