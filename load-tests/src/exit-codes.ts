// What a k6 exit code means for a run: a description, and which terminal state it leads to.
// Failing thresholds (99) is a result of the test, so the run still counts as finished.
import type { TerminalRunState } from './run-state.ts';

export const K6_EXIT_CODES = {
  0: 'ok: the test ran to the end and every threshold passed',
  97: 'cloud test run failed',
  98: 'could not get progress from the cloud',
  99: 'thresholds failed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'timed out',
  103: 'stopped through the REST API',
  104: 'invalid configuration',
  105: 'aborted by an external signal',
  106: 'could not start the REST API',
  107: 'script exception',
  108: 'script called test.abort()',
  109: 'k6 crashed (Go panic)',
  110: 'test marked as failed',
} as const satisfies Record<number, string>;

export function exitCodeMeaning(code: number | null, signal?: string | null): string {
  if (code === null) return signal ? `killed by ${signal}` : 'no exit code';
  if (code in K6_EXIT_CODES) return K6_EXIT_CODES[code as keyof typeof K6_EXIT_CODES];
  return code === 1 ? 'error (k6 could not run the test)' : `unknown exit code ${code}`;
}

export type ExitOutcome = { state: TerminalRunState; reason?: string };

/** Why a run was stopped before its end, and how it ends because of it. */
export type StopCause = { state: 'aborted' | 'failed'; reason: string };
export const STOPPED_BY_USER: StopCause = { state: 'aborted', reason: 'stopped by user' };
export const SHUT_DOWN: StopCause = { state: 'aborted', reason: 'shut down' };

/** Terminal state for an exit. `stopCause`: we stopped this run, and why (null: we did not). */
export function outcomeOfExit(
  code: number | null,
  signal: string | null,
  stopCause: StopCause | null,
): ExitOutcome {
  if (code === 0 || code === 99) return { state: 'finished' };
  if (stopCause) return { state: stopCause.state, reason: stopCause.reason };
  if (code === 103 || code === 105 || code === 108)
    return { state: 'aborted', reason: exitCodeMeaning(code) };
  return {
    state: 'failed',
    reason: `k6 ${exitCodeMeaning(code, signal)}${code === null ? '' : ` (exit ${code})`}`,
  };
}
