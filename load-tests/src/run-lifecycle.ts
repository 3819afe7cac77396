// A run's lifecycle as one pure function: the events a run's execution reports (k6 spawned, its REST
// API up, live numbers, a stop asked, k6's exit with its summary, a failure, a cancellation) and
// reduceRun, the one place that decides which run each event leads to. No Node imports: part of
// load-tests/model.
import { type ExitOutcome, outcomeOfExit, type StopCause } from './exit-codes.ts';
import {
  assertNever,
  canTransition,
  type EndedRun,
  isTerminal,
  type LiveStatus,
  type Run,
  type RunResult,
  type TerminalRunState,
} from './run-state.ts';

/** How k6 ended: its exit code, or the signal that killed it (code null). */
export type ExitReport = { code: number | null; signal: string | null };
/** How one k6 process of a distributed run ended. */
export type SegmentExit = { segment: string; code: number | null; exitMeaning: string };

export type RunExecutionEvent =
  /** k6 was started, its REST API to listen at `apiAddress`: queued → starting. */
  | { type: 'spawned'; at: number; apiAddress: string }
  /** k6's REST API answers and reports the test running: starting → running. */
  | { type: 'api-up' }
  /** Live numbers read from the REST API while k6 executes; the state stays. */
  | { type: 'status'; live: LiveStatus }
  /** A stop was asked of k6: starting | running → stopping. */
  | { type: 'stop-requested'; at: number }
  /**
   * k6 exited and its summary became `result` (summary.ts; store percentiles applied). The end state
   * follows from the exit, the cause of a stop the launcher asked for, and whether k6 had hung past
   * its planned end (`hungAfterMs`, when it was stopped for that).
   */
  | {
      type: 'exited';
      at: number;
      exit: ExitReport;
      stopCause: StopCause | null;
      hungAfterMs?: number;
      result: RunResult;
    }
  /**
   * Every k6 process of a distributed run (distributed.ts) exited; `result` aggregates their
   * summaries. A run whose segments never resumed is still queued here.
   */
  | {
      type: 'segments-exited';
      at: number;
      exits: SegmentExit[];
      stopCause: StopCause | null;
      result: RunResult;
    }
  /** The run cannot go on (k6 could not be started, an error in the launcher): → failed. */
  | { type: 'failed'; at: number; reason: string }
  /** Ended before k6 was started (stopped while queued, shut down, its target exited): → cause.state. */
  | { type: 'cancelled'; at: number; cause: StopCause };

export type RunExecutionEventType = RunExecutionEvent['type'];

/**
 * `moved`: the run changed state (record it, publish it); `updated`: only its live numbers changed;
 * `refused`: the event does not apply to the run as it is (it stays `run`), with the reason.
 */
export type RunReduction =
  | { outcome: 'moved'; run: Run }
  | { outcome: 'updated'; run: Run; live: LiveStatus }
  | { outcome: 'refused'; run: Run; reason: string };

type RunBase = Omit<Extract<Run, { state: 'queued' }>, 'state'>;

/** The fields every state carries (an ended run keeps neither the API address nor the stop time). */
function baseOf(run: Run): RunBase {
  const { id, scenario, params, target, launchedBy, createdAt, runDir, logPath, summaryPath } = run;
  return { id, scenario, params, target, launchedBy, createdAt, runDir, logPath, summaryPath };
}

function ended(run: Run, at: number, state: TerminalRunState, reason: string, result?: RunResult): EndedRun {
  const common = {
    ...baseOf(run),
    endedAt: at,
    ...(run.state === 'queued' ? {} : { startedAt: run.startedAt }),
    ...(run.state !== 'queued' && run.live ? { live: run.live } : {}),
  };
  switch (state) {
    case 'finished':
      // outcomeOfExit says finished only for exits 0 and 99, which `exited` reports with a result.
      if (!result) throw new Error(`run ${run.id}: finished without a result`);
      return { ...common, state, result };
    case 'aborted':
    case 'failed':
    case 'lost':
      return { ...common, state, reason, ...(result ? { result } : {}) };
    default:
      return assertNever(state);
  }
}

function hangReason(hungAfterMs: number, exit: ExitReport): string {
  return `k6 hung: still running ${Math.round(hungAfterMs / 1000)} s after it started, past its planned duration; stopped (exit ${exit.code ?? exit.signal})`;
}

/** A distributed run's end: stopped, never resumed (a segment did not come up), or as its worst segment. */
function outcomeOfSegments(resumed: boolean, exits: SegmentExit[], stopCause: StopCause | null): ExitOutcome {
  if (stopCause) return { state: stopCause.state, reason: stopCause.reason };
  if (!resumed) return { state: 'failed', reason: 'a segment did not come up (see its k6.log)' };
  const bad = exits.find((e) => e.code !== 0 && e.code !== 99);
  return bad
    ? { state: 'failed', reason: `segment ${bad.segment}: k6 ${bad.exitMeaning}` }
    : { state: 'finished' };
}

/** The run `event` leads to, or why it does not apply. Pure: times come with the events. */
export function reduceRun(run: Run, event: RunExecutionEvent): RunReduction {
  const move = (next: Run): RunReduction =>
    canTransition(run.state, next.state)
      ? { outcome: 'moved', run: next }
      : { outcome: 'refused', run, reason: `cannot go from ${run.state} to ${next.state} on ${event.type}` };
  const refuse = (why: string): RunReduction => ({
    outcome: 'refused',
    run,
    reason: `${event.type} does not apply to a ${run.state} run: ${why}`,
  });
  switch (event.type) {
    case 'spawned':
      if (run.state !== 'queued') return refuse('k6 is started once, from the queue');
      return move({ ...run, state: 'starting', startedAt: event.at, apiAddress: event.apiAddress });
    case 'api-up':
      if (run.state !== 'starting') return refuse('only a starting run becomes running');
      return move({ ...run, state: 'running' });
    case 'status':
      if (run.state !== 'starting' && run.state !== 'running' && run.state !== 'stopping')
        return refuse('only a run k6 executes has live numbers');
      return { outcome: 'updated', run: { ...run, live: event.live }, live: event.live };
    case 'stop-requested':
      if (run.state !== 'starting' && run.state !== 'running') return refuse('only a started run is stopped');
      return move({ ...run, state: 'stopping', stopRequestedAt: event.at });
    case 'exited': {
      if (run.state === 'queued' || isTerminal(run.state)) return refuse('k6 was not running');
      if (event.hungAfterMs !== undefined)
        return move(ended(run, event.at, 'failed', hangReason(event.hungAfterMs, event.exit), event.result));
      const outcome = outcomeOfExit(event.exit.code, event.exit.signal, event.stopCause);
      return move(ended(run, event.at, outcome.state, outcome.reason ?? '', event.result));
    }
    case 'segments-exited': {
      if (isTerminal(run.state)) return refuse('the run has ended');
      const outcome = outcomeOfSegments(run.state !== 'queued', event.exits, event.stopCause);
      return move(ended(run, event.at, outcome.state, outcome.reason ?? '', event.result));
    }
    case 'failed':
      if (isTerminal(run.state)) return refuse('the run has ended');
      return move(ended(run, event.at, 'failed', event.reason));
    case 'cancelled':
      if (run.state !== 'queued') return refuse('only a run k6 has not started is cancelled');
      return move(ended(run, event.at, event.cause.state, event.cause.reason));
    default:
      return assertNever(event);
  }
}
