// The cp_experiments repository (DDL owned by collector/, migration 17): a row appended per change
// of an experiment (started, each run done, ended), read back with FINAL (the newest UpdatedAt).
// RunIds is what links a run in cp_runs to its experiment. No Node imports.
import type { StoreClient } from '../run-store.ts';
import type { Experiment } from './model.ts';

export const EXPERIMENTS_TABLE = 'cp_experiments';

export type ExperimentRecorder = { record(experiment: Experiment): Promise<void> };

export function createClickHouseExperimentRecorder(client: StoreClient): ExperimentRecorder {
  let last = 0;
  return {
    async record(e) {
      // Strictly increasing per recorder, so two changes within a millisecond keep their order.
      last = Math.max(Date.now(), last + 1);
      await client.insert({
        table: EXPERIMENTS_TABLE,
        values: [
          {
            ExperimentId: e.id,
            Name: e.definition.name,
            State: e.state,
            Target: e.target,
            LaunchedBy: e.launchedBy,
            Definition: JSON.stringify(e.definition),
            OriginalSettings: JSON.stringify(e.originalSettings),
            RunIds: [...e.warmupRunIds, ...e.runs.map((r) => r.runId)],
            Runs: JSON.stringify({ order: e.order, runs: e.runs, warmupRunIds: e.warmupRunIds }),
            Result: e.result ? JSON.stringify(e.result) : '',
            Reason: e.reason ?? '',
            CreatedAt: e.createdAt,
            EndedAt: e.endedAt ?? 0,
            UpdatedAt: last,
          },
        ],
        format: 'JSONEachRow',
      });
    },
  };
}

type Row = Record<string, string | number | string[]>;

function experimentOfRow(row: Row): Experiment {
  const runs = JSON.parse(String(row.Runs)) as Pick<Experiment, 'order' | 'runs'> &
    Partial<Pick<Experiment, 'warmupRunIds'>>;
  return {
    id: String(row.ExperimentId),
    definition: JSON.parse(String(row.Definition)),
    target: String(row.Target),
    launchedBy: String(row.LaunchedBy),
    state: String(row.State) as Experiment['state'],
    reason: row.Reason ? String(row.Reason) : null,
    order: runs.order,
    originalSettings: JSON.parse(String(row.OriginalSettings)),
    runs: runs.runs,
    warmupRunIds: runs.warmupRunIds ?? [],
    result: row.Result ? JSON.parse(String(row.Result)) : null,
    createdAt: Number(row.createdMs),
    endedAt: Number(row.endedMs) > 0 ? Number(row.endedMs) : null,
  };
}

async function select(
  client: StoreClient,
  tail: string,
  params: Record<string, unknown>,
): Promise<Experiment[]> {
  const result = await client.query({
    query: `SELECT *, toUnixTimestamp64Milli(CreatedAt) AS createdMs, toUnixTimestamp64Milli(EndedAt) AS endedMs
      FROM ${EXPERIMENTS_TABLE} FINAL ${tail}`,
    query_params: params,
    format: 'JSONEachRow',
  });
  return (await result.json<Row>()).map(experimentOfRow);
}

export async function findExperiment(client: StoreClient, id: string): Promise<Experiment | undefined> {
  return (await select(client, 'WHERE ExperimentId = {id:String}', { id }))[0];
}

/** Newest first. */
export function readRecentExperiments(client: StoreClient, limit = 50): Promise<Experiment[]> {
  return select(client, 'ORDER BY createdMs DESC LIMIT {limit:UInt32}', { limit });
}

/** The experiment a run belongs to, if any. */
export async function experimentOfRun(client: StoreClient, runId: string): Promise<Experiment | undefined> {
  return (await select(client, 'WHERE has(RunIds, {run:String}) LIMIT 1', { run: runId }))[0];
}
