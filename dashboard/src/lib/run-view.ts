// A load-test run as the UI sees it: the launcher's Run (a union on `state`) flattened into one
// JSON-safe shape, from either the live launcher or a cp_runs row. Server paths stay server-side.
// Types only: this module runs in the browser too, and load-tests/model's values bring zod and the
// scenario catalogue with them (dashboard/test/bundle-safe-surfaces.test.ts checks).
import type { LiveStatus, Run, TerminalRunState } from 'load-tests/model';
import type { StoredRun } from 'load-tests/results';

/** The store's record of a run (its exit code left out), with the live launcher's progress. */
export type RunView = Omit<StoredRun, 'exitCode'> & { live: LiveStatus | null };

/** load-tests' terminal states; the type makes this list exactly TerminalRunState's members. */
const TERMINAL: Record<TerminalRunState, true> = { finished: true, failed: true, aborted: true, lost: true };
/** Whether the run may still change state (not yet finished, failed, aborted or lost). */
export const isActive = (run: Pick<RunView, 'state'>) => !Object.hasOwn(TERMINAL, run.state);

export function toRunView(run: Run): RunView {
  const base = {
    id: run.id,
    scenario: run.scenario,
    state: run.state,
    params: run.params,
    target: run.target,
    launchedBy: run.launchedBy,
    createdAt: run.createdAt,
  };
  switch (run.state) {
    case 'queued':
      return { ...base, startedAt: null, endedAt: null, live: null, result: null, reason: null };
    case 'starting':
    case 'running':
    case 'stopping':
      return {
        ...base,
        startedAt: run.startedAt,
        endedAt: null,
        live: run.live ?? null,
        result: null,
        reason: null,
      };
    case 'finished':
      return { ...base, ...ended(run), result: run.result, reason: null };
    case 'failed':
    case 'aborted':
    case 'lost':
      return { ...base, ...ended(run), result: run.result ?? null, reason: run.reason };
    default: {
      const unknownRun: never = run;
      throw new Error(`unknown run state ${JSON.stringify(unknownRun)}`);
    }
  }
}

const ended = (run: { startedAt?: number; endedAt: number; live?: LiveStatus }) => ({
  startedAt: run.startedAt ?? null,
  endedAt: run.endedAt,
  live: run.live ?? null,
});

/**
 * Runs from the live launcher and from the store, newest first. The launcher's copy wins: it is
 * current, while a stored row of a run that was active when this process died stays "running".
 */
export function mergeRuns(
  live: readonly RunView[],
  stored: readonly RunView[],
  liveIds?: ReadonlySet<string>,
): RunView[] {
  const byId = new Map<string, RunView>();
  for (const run of stored)
    byId.set(run.id, liveIds && !liveIds.has(run.id) && isActive(run) ? orphaned(run) : run);
  for (const run of live) byId.set(run.id, run);
  return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt);
}

/** A stored run still marked active that no launcher in this process knows: its process ended. */
function orphaned(run: RunView): RunView {
  return { ...run, state: 'aborted', reason: 'the process running it ended before the run did' };
}
