// Runs recorded in cp_runs (one row per transition; ReplacingMergeTree keeps the newest by
// UpdatedAt, FINAL collapses them at read time). Runs from before this process started come
// from here, with their results.
import type { Store } from 'collector';
import { type RunView, type StoredRunRow, storedRunToView } from '../lib/run-view.ts';

const columns = `RunId, Scenario, State, Params, Target, LaunchedBy, Result, Reason,
  toUnixTimestamp64Milli(CreatedAt) AS createdMs, toUnixTimestamp64Milli(StartedAt) AS startedMs,
  toUnixTimestamp64Milli(EndedAt) AS endedMs`;

async function select(
  client: Store['client'],
  tail: string,
  params: Record<string, unknown>,
): Promise<RunView[]> {
  const result = await client.query({
    query: `SELECT ${columns} FROM cp_runs FINAL ${tail}`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<StoredRunRow>();
  return rows.map(storedRunToView).filter((r): r is RunView => r !== undefined);
}

export function readStoredRuns(client: Store['client'], limit: number): Promise<RunView[]> {
  return select(client, 'ORDER BY createdMs DESC LIMIT {limit:UInt32}', { limit });
}

export async function readStoredRun(client: Store['client'], id: string): Promise<RunView | undefined> {
  const [run] = await select(client, 'WHERE RunId = {id:String}', { id });
  return run;
}
