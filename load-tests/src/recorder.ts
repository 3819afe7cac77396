// Persists runs: the launcher calls a RunRecorder on every state transition. The ClickHouse one
// appends a row per transition to cp_runs (current state = latest UpdatedAt; DDL owned by collector/).
import { endedAtOf, type Run, resultOf, startedAtOf } from './run-state.ts';
import { markLostRuns, RUNS_TABLE, type StoreClient } from './run-store.ts';

export type RunRecorder = {
  record(run: Run): Promise<void>;
  /** Ends runs the store shows active that `owned` lacks as `lost`; returns their ids. */
  markLost?(owned: ReadonlySet<string>): Promise<string[]>;
};

/** The slice of @clickhouse/client this recorder needs. */
export type ClickHouseInsertClient = {
  insert(args: { table: string; values: unknown[]; format: 'JSONEachRow' }): Promise<unknown>;
};

export type RunRow = {
  RunId: string;
  Scenario: string;
  State: string;
  Params: string;
  Target: string;
  LaunchedBy: string;
  /** DateTime64(3) as unix milliseconds; 0 when unset. */
  CreatedAt: number;
  StartedAt: number;
  EndedAt: number;
  /** -1 until k6 has exited (or when it died from a signal). */
  ExitCode: number;
  Result: string;
  /** Why a failed, aborted or lost run ended; '' otherwise. */
  Reason: string;
  UpdatedAt: number;
};

export function runToRow(run: Run, now: number = Date.now()): RunRow {
  const result = resultOf(run);
  return {
    RunId: run.id,
    Scenario: run.scenario,
    State: run.state,
    Params: JSON.stringify(run.params),
    Target: run.target,
    LaunchedBy: run.launchedBy,
    CreatedAt: run.createdAt,
    StartedAt: startedAtOf(run) ?? 0,
    EndedAt: endedAtOf(run) ?? 0,
    ExitCode: result?.exitCode ?? -1,
    Result: result ? JSON.stringify(result) : '',
    Reason: 'reason' in run ? run.reason : '',
    UpdatedAt: now,
  };
}

/** Records into `table`; given the store's full client (not only insert), it can also mark lost runs. */
export function createClickHouseRunRecorder(
  client: ClickHouseInsertClient | StoreClient,
  table: string = RUNS_TABLE,
): RunRecorder {
  const full = 'query' in client && table === RUNS_TABLE ? (client as StoreClient) : undefined;
  let last = 0;
  return {
    async record(run) {
      // Transitions can land in the same millisecond; UpdatedAt must still order them.
      last = Math.max(Date.now(), last + 1);
      await client.insert({ table, values: [runToRow(run, last)], format: 'JSONEachRow' });
    },
    ...(full ? { markLost: (owned: ReadonlySet<string>) => markLostRuns(full, owned) } : {}),
  };
}
