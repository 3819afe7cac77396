// A run's lifecycle as a discriminated union on `state`:
// queued → starting → running → stopping → finished | failed | aborted, or `lost`: a run whose
// launcher went away (dashboard restart, crash) before it ended, marked so by the next launcher.

export const RUN_STATES = [
  'queued',
  'starting',
  'running',
  'stopping',
  'finished',
  'failed',
  'aborted',
  'lost',
] as const;
export type RunState = (typeof RUN_STATES)[number];
export type TerminalRunState = Extract<RunState, 'finished' | 'failed' | 'aborted' | 'lost'>;

/** Why a run is `lost` (stored in cp_runs.Reason). */
export const LOST_REASON =
  'the launcher running it went away (dashboard restarted or crashed) before it ended';

export type ThresholdResult = { metric: string; expr: string; ok: boolean };
/** Live thresholds come from k6's REST API, which reports pass/fail per metric, not per expression. */
export type LiveThreshold = { metric: string; expr?: string; ok: boolean };

/** The latest numbers read from a running k6 (REST API). Cumulative since start, except reqRate. */
export type LiveStatus = {
  at: number;
  vus: number;
  iterations: number;
  httpReqs: number;
  /** Requests per second since the previous poll (k6's own average on the first poll). */
  reqRate: number;
  p95Ms: number | null;
  errorRate: number;
  thresholds: LiveThreshold[];
};

export type RunStats = {
  httpReqs: number;
  reqRate: number;
  errorRate: number;
  checksRate: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  iterations: number;
  durationMs: number;
  /** Bytes. */
  dataReceived: number;
  /** Bytes. */
  dataSent: number;
};

export type EndpointStats = { name: string; count: number; p95Ms: number | null };
export type CheckResult = { name: string; passes: number; fails: number };

/**
 * Where a run's percentiles come from: its request samples in the store (exact, k6's formula, all
 * segments merged) or, as an estimate, k6's exponential or explicit-bucket histograms.
 */
export type PercentileSource = 'samples' | 'exponential' | 'explicit' | 'none';

/**
 * A figure's source, its largest relative error (0: exact; null: unknown, up to a bucket's width)
 * and both in words for every page, export and CLI that shows the figures.
 */
export type PercentileOrigin = { source: PercentileSource; errorBound: number | null; description: string };

export type RunResult = {
  exitCode: number | null;
  /** Set when k6 died from a signal (exitCode is then null). */
  signal?: string;
  exitMeaning: string;
  thresholdsPassed: boolean;
  thresholds: ThresholdResult[];
  /** null when k6 ended before writing its summary (crash, kill, bad script). */
  stats: RunStats | null;
  perEndpoint?: EndpointStats[];
  checks?: CheckResult[];
  /**
   * Set when p50…max and the endpoints' p95 were replaced by the store's figures at the run's end
   * (results/run-percentiles.ts, the computation every reader uses); absent → k6's own summary.
   */
  percentiles?: PercentileOrigin;
};

type RunBase = {
  id: string;
  scenario: string;
  /** Validated parameters (scenario-specific; the smoke scenario's are { vus, duration, target }). */
  params: Record<string, unknown>;
  target: string;
  launchedBy: string;
  createdAt: number;
  runDir: string;
  logPath: string;
  summaryPath: string;
};
type Started = { startedAt: number; apiAddress: string; live?: LiveStatus };
type Ended = { startedAt?: number; endedAt: number; live?: LiveStatus };

export type QueuedRun = RunBase & { state: 'queued' };
export type StartingRun = RunBase & Started & { state: 'starting' };
export type RunningRun = RunBase & Started & { state: 'running' };
export type StoppingRun = RunBase & Started & { state: 'stopping'; stopRequestedAt: number };
export type FinishedRun = RunBase & Ended & { state: 'finished'; result: RunResult };
export type FailedRun = RunBase & Ended & { state: 'failed'; reason: string; result?: RunResult };
export type AbortedRun = RunBase & Ended & { state: 'aborted'; reason: string; result?: RunResult };
/** Never produced by a live launcher: written for runs a previous launcher left active. */
export type LostRun = RunBase & Ended & { state: 'lost'; reason: string; result?: RunResult };

export type Run =
  | QueuedRun
  | StartingRun
  | RunningRun
  | StoppingRun
  | FinishedRun
  | FailedRun
  | AbortedRun
  | LostRun;
export type ActiveRun = StartingRun | RunningRun | StoppingRun;
export type EndedRun = FinishedRun | FailedRun | AbortedRun | LostRun;

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

export function isTerminal(state: RunState): state is TerminalRunState {
  switch (state) {
    case 'queued':
    case 'starting':
    case 'running':
    case 'stopping':
      return false;
    case 'finished':
    case 'failed':
    case 'aborted':
    case 'lost':
      return true;
    default:
      return assertNever(state);
  }
}

/** Which states a run may move to next; the launcher refuses any other move. */
export function nextStates(state: RunState): readonly RunState[] {
  switch (state) {
    case 'queued':
      return ['starting', 'aborted', 'failed', 'lost'];
    case 'starting':
      return ['running', 'stopping', 'finished', 'failed', 'aborted', 'lost'];
    case 'running':
      return ['stopping', 'finished', 'failed', 'aborted', 'lost'];
    case 'stopping':
      return ['finished', 'failed', 'aborted', 'lost'];
    case 'finished':
    case 'failed':
    case 'aborted':
    case 'lost':
      return [];
    default:
      return assertNever(state);
  }
}

export function canTransition(from: RunState, to: RunState): boolean {
  return nextStates(from).includes(to);
}

export function startedAtOf(run: Run): number | undefined {
  return run.state === 'queued' ? undefined : run.startedAt;
}

export function endedAtOf(run: Run): number | undefined {
  return isTerminal(run.state) ? (run as EndedRun).endedAt : undefined;
}

export function resultOf(run: Run): RunResult | undefined {
  switch (run.state) {
    case 'queued':
    case 'starting':
    case 'running':
    case 'stopping':
      return undefined;
    case 'finished':
    case 'failed':
    case 'aborted':
    case 'lost':
      return run.result;
    default:
      return assertNever(run);
  }
}
