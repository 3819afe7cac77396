// A load-test run as the UI sees it: the launcher's Run (a union on `state`) flattened into one
// JSON-safe shape, from either the live launcher or a cp_runs row. Server paths stay server-side.
import type { LiveStatus, Run, RunResult, RunState } from 'load-tests';

export interface RunView {
  id: string;
  scenario: string;
  state: RunState;
  params: Record<string, unknown>;
  target: string;
  launchedBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  live: LiveStatus | null;
  result: RunResult | null;
  /** Why a run failed or was aborted. */
  reason: string | null;
}

export const ACTIVE_STATES: readonly RunState[] = ['queued', 'starting', 'running', 'stopping'];
export const isActive = (run: Pick<RunView, 'state'>) => ACTIVE_STATES.includes(run.state);

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

/** A cp_runs row (times as unix ms, JSON text columns) as a RunView; undefined if unusable. */
export interface StoredRunRow {
  RunId: string;
  Scenario: string;
  State: string;
  Params: string;
  Target: string;
  LaunchedBy: string;
  Result: string;
  /** Why a failed, aborted or lost run ended ('' otherwise; absent in rows from before migration 9). */
  Reason?: string;
  /** DateTime64 columns as unix ms (Int64 arrives as a string in JSON). */
  createdMs: number | string;
  startedMs: number | string;
  endedMs: number | string;
}

// A copy of load-tests' RUN_STATES (the Next bundle imports only its types); the check below
// fails to compile if load-tests gains a state this list lacks.
const RUN_STATES = [
  'queued',
  'starting',
  'running',
  'stopping',
  'finished',
  'failed',
  'aborted',
  'lost',
] as const satisfies readonly RunState[];
true satisfies [Exclude<RunState, (typeof RUN_STATES)[number]>] extends [never] ? true : false;

function parseJson<T>(text: string, fallback: T): T {
  if (text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function storedRunToView(row: StoredRunRow): RunView | undefined {
  const state = RUN_STATES.find((s) => s === row.State);
  if (!state) return undefined;
  const time = (v: number | string) => (Number(v) > 0 ? Number(v) : null);
  return {
    id: row.RunId,
    scenario: row.Scenario,
    state,
    params: parseJson<Record<string, unknown>>(row.Params, {}),
    target: row.Target,
    launchedBy: row.LaunchedBy,
    createdAt: Number(row.createdMs),
    startedAt: time(row.startedMs),
    endedAt: time(row.endedMs),
    live: null,
    result: parseJson<RunResult | null>(row.Result, null),
    reason: row.Reason ? row.Reason : null,
  };
}

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
