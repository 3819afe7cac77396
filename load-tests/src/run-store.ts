// The cp_runs repository, the one place its rows are written and read: a row appended per
// transition (the launcher's recorder), runs read back (FINAL keeps the newest by UpdatedAt) for the
// results library, the CLI and the dashboard's run list, and runs whose launcher went away marked
// `lost`. No Node imports: part of load-tests/model and load-tests/results.
import type { Store } from 'collector';
import { hasErrorBrand } from './error-brand.ts';
import {
  endedAtOf,
  isTerminal,
  LOST_REASON,
  RUN_STATES,
  type Run,
  type RunResult,
  type RunState,
  resultOf,
  startedAtOf,
} from './run-state.ts';

export type StoreClient = Store['client'];

/** The runs table (DDL owned by collector/): one row per transition, written by recorder.ts. */
export const RUNS_TABLE = 'cp_runs';

/** Every request duration of a run (DDL owned by collector/), written by run-samples.ts. */
export const RUN_SAMPLES_TABLE = 'cp_run_samples';

/** A cp_runs row as written (JSONEachRow). */
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

/** Appends the run as it is now; `updatedAt` orders it after the run's earlier rows. */
export async function appendRun(client: StoreClient, run: Run, updatedAt: number): Promise<void> {
  await client.insert({ table: RUNS_TABLE, values: [runToRow(run, updatedAt)], format: 'JSONEachRow' });
}

/** A run as recorded in the store: enough to find its telemetry and show its outcome. */
export type StoredRun = {
  id: string;
  scenario: string;
  state: RunState;
  params: Record<string, unknown>;
  target: string;
  launchedBy: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** null until k6 exited, or when it died from a signal. */
  exitCode: number | null;
  result: RunResult | null;
  /** Why a failed, aborted or lost run ended; null otherwise. */
  reason: string | null;
};

const RUN_NOT_FOUND: unique symbol = Symbol.for('load-tests.RunNotFoundError');

export class RunNotFoundError extends Error {
  readonly [RUN_NOT_FOUND] = true;
  constructor(id: string) {
    super(`no run ${id} in the store (${RUNS_TABLE})`);
    this.name = 'RunNotFoundError';
  }
}

/** A RunNotFoundError from any copy of this module (see error-brand.ts). */
export const isRunNotFoundError = (error: unknown): error is RunNotFoundError =>
  hasErrorBrand(error, RUN_NOT_FOUND);

/** A cp_runs row as read: times as unix ms (Int64 arrives as a string in JSON). */
export type StoredRunRow = Record<string, string | number>;

const columns = `RunId, Scenario, State, Params, Target, LaunchedBy, ExitCode, Result, Reason,
  toUnixTimestamp64Milli(CreatedAt) AS createdMs, toUnixTimestamp64Milli(StartedAt) AS startedMs,
  toUnixTimestamp64Milli(EndedAt) AS endedMs`;

function parseJson<T>(text: string, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** A row read back as a run; undefined when its state is unknown. Damaged JSON reads as empty. */
export function storedRunOfRow(row: StoredRunRow): StoredRun | undefined {
  const state = RUN_STATES.find((s) => s === row.State);
  if (!state) return undefined;
  const time = (v: unknown) => (Number(v) > 0 ? Number(v) : null);
  return {
    id: String(row.RunId),
    scenario: String(row.Scenario),
    state,
    params: parseJson<Record<string, unknown>>(String(row.Params), {}),
    target: String(row.Target),
    launchedBy: String(row.LaunchedBy),
    createdAt: Number(row.createdMs),
    startedAt: time(row.startedMs),
    endedAt: time(row.endedMs),
    exitCode: Number(row.ExitCode) >= 0 ? Number(row.ExitCode) : null,
    result: parseJson<RunResult | null>(String(row.Result), null),
    reason: row.Reason ? String(row.Reason) : null,
  };
}

async function select(
  client: StoreClient,
  tail: string,
  params: Record<string, unknown>,
): Promise<StoredRun[]> {
  const result = await client.query({
    query: `SELECT ${columns} FROM ${RUNS_TABLE} FINAL ${tail}`,
    query_params: params,
    format: 'JSONEachRow',
  });
  return (await result.json<StoredRunRow>())
    .map(storedRunOfRow)
    .filter((r): r is StoredRun => r !== undefined);
}

/** The run, or undefined when the store has none by that id. */
export async function findRun(client: StoreClient, id: string): Promise<StoredRun | undefined> {
  const [run] = await select(client, 'WHERE RunId = {id:String}', { id });
  return run;
}

/** The run; RunNotFoundError when the store has none by that id. */
export async function readRun(client: StoreClient, id: string): Promise<StoredRun> {
  const run = await findRun(client, id);
  if (!run) throw new RunNotFoundError(id);
  return run;
}

/** The newest runs of every scenario, newest first (the dashboard's run list). */
export function readRecentRuns(client: StoreClient, limit: number): Promise<StoredRun[]> {
  return select(client, 'ORDER BY createdMs DESC LIMIT {limit:UInt32}', { limit });
}

/** A scenario's runs, oldest first (at most `limit`, the newest ones). */
export async function readScenarioRuns(
  client: StoreClient,
  scenario: string,
  limit = 200,
): Promise<StoredRun[]> {
  const runs = await select(
    client,
    'WHERE Scenario = {scenario:String} ORDER BY createdMs DESC LIMIT {limit:UInt32}',
    { scenario, limit },
  );
  return runs.reverse();
}

/**
 * Ends every run the store still shows as queued/starting/running/stopping, except `owned`, as
 * `lost`: called when a launcher starts, since no launcher before it can still be tracking them.
 * Returns the ids marked.
 */
export async function markLostRuns(
  client: StoreClient,
  owned: ReadonlySet<string> = new Set(),
  now: number = Date.now(),
): Promise<string[]> {
  const active = RUN_STATES.filter((s) => !isTerminal(s));
  const result = await client.query({
    query: `SELECT RunId, Scenario, State, Params, Target, LaunchedBy, ExitCode, Result,
        toUnixTimestamp64Milli(CreatedAt) AS CreatedAt, toUnixTimestamp64Milli(StartedAt) AS StartedAt
      FROM ${RUNS_TABLE} FINAL WHERE State IN {active:Array(String)}`,
    query_params: { active },
    format: 'JSONEachRow',
  });
  const rows = (await result.json<StoredRunRow>()).filter((r) => !owned.has(String(r.RunId)));
  if (rows.length === 0) return [];
  await client.insert({
    table: RUNS_TABLE,
    values: rows.map((r) => ({
      ...r,
      CreatedAt: Number(r.CreatedAt),
      StartedAt: Number(r.StartedAt),
      State: 'lost',
      Reason: LOST_REASON,
      EndedAt: now,
      UpdatedAt: now,
    })),
    format: 'JSONEachRow',
  });
  return rows.map((r) => String(r.RunId));
}
