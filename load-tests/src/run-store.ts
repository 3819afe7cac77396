// The read side of cp_runs (the recorder appends one row per transition; FINAL keeps the newest
// by UpdatedAt), and marking runs whose launcher went away as `lost`.
import type { Store } from 'collector';
import { isTerminal, LOST_REASON, RUN_STATES, type RunResult, type RunState } from './run-state.ts';

export type StoreClient = Store['client'];

/** The runs table (DDL owned by collector/): one row per transition, written by recorder.ts. */
export const RUNS_TABLE = 'cp_runs';

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

export class RunNotFoundError extends Error {
  constructor(id: string) {
    super(`no run ${id} in the store (${RUNS_TABLE})`);
    this.name = 'RunNotFoundError';
  }
}

type Row = Record<string, string | number>;

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

function toStoredRun(row: Row): StoredRun | undefined {
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
  return (await result.json<Row>()).map(toStoredRun).filter((r): r is StoredRun => r !== undefined);
}

export async function readRun(client: StoreClient, id: string): Promise<StoredRun> {
  const [run] = await select(client, 'WHERE RunId = {id:String}', { id });
  if (!run) throw new RunNotFoundError(id);
  return run;
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
  const rows = (await result.json<Row>()).filter((r) => !owned.has(String(r.RunId)));
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
