// The ClickHouse run recorder against embedded ClickHouse (chDB) with the cp_runs table the
// collector's migrations create: rows land, times survive as DateTime64(3), reasons are kept.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createClickHouseRunRecorder } from '../src/recorder.ts';
import type { AbortedRun, FinishedRun, QueuedRun } from '../src/run-state.ts';
import { findRun, readRecentRuns, readRun } from '../src/run-store.ts';

let store: Store;
let client: Store['client'];
beforeAll(async () => {
  store = await createStore({ dataDir: mkdtempSync(join(tmpdir(), 'lt-chdb-')) });
  client = store.client;
});
afterAll(async () => {
  await store.close();
});

test('every transition is a row; the latest is the current state', async () => {
  const recorder = createClickHouseRunRecorder(client);
  const queued: QueuedRun = {
    id: 'run_20261122T120000Z_abcdef',
    scenario: 'smoke',
    params: { vus: 2, duration: '5s', target: 'http://127.0.0.1:8080' },
    target: 'http://127.0.0.1:8080',
    launchedBy: 'qa',
    createdAt: Date.parse('2026-11-22T12:00:00.123Z'),
    runDir: '/runs/x',
    logPath: '/runs/x/k6.log',
    summaryPath: '/runs/x/summary.json',
    state: 'queued',
  };
  const finished: FinishedRun = {
    ...queued,
    state: 'finished',
    startedAt: Date.parse('2026-11-22T12:00:00.456Z'),
    endedAt: Date.parse('2026-11-22T12:00:06.789Z'),
    result: {
      exitCode: 99,
      exitMeaning: 'thresholds failed',
      thresholdsPassed: false,
      thresholds: [],
      stats: null,
    },
  };
  await recorder.record(queued);
  await recorder.record(finished);

  const rows = await client.query({
    query: `SELECT State, toString(CreatedAt) AS created, toString(StartedAt) AS started, toString(EndedAt) AS ended,
              ExitCode, Result
            FROM cp_runs WHERE RunId = {id:String} ORDER BY UpdatedAt`,
    query_params: { id: queued.id },
    format: 'JSONEachRow',
  });
  const got = await rows.json<{
    State: string;
    created: string;
    started: string;
    ended: string;
    ExitCode: number;
    Result: string;
  }>();
  expect(got.map((r) => r.State)).toEqual(['queued', 'finished']);
  expect(got[0]).toMatchObject({
    started: '1970-01-01 00:00:00.000',
    ended: '1970-01-01 00:00:00.000',
    ExitCode: -1,
    Result: '',
  });
  expect(got[1]).toMatchObject({
    created: '2026-11-22 12:00:00.123',
    started: '2026-11-22 12:00:00.456',
    ended: '2026-11-22 12:00:06.789',
    ExitCode: 99,
  });
  expect(JSON.parse(got[1]!.Result).exitMeaning).toBe('thresholds failed');

  const current = await client.query({
    query: 'SELECT argMax(State, UpdatedAt) AS state FROM cp_runs WHERE RunId = {id:String}',
    query_params: { id: queued.id },
    format: 'JSONEachRow',
  });
  expect(await current.json()).toEqual([{ state: 'finished' }]);
});

test('the reason a run was aborted is stored and read back', async () => {
  const aborted: AbortedRun = {
    id: 'run_20261122T130000Z_abcdef',
    scenario: 'load',
    params: { vus: 2, duration: '5s', target: 'http://127.0.0.1:8080' },
    target: 'http://127.0.0.1:8080',
    launchedBy: 'qa',
    createdAt: Date.parse('2026-11-22T13:00:00.000Z'),
    runDir: '/runs/y',
    logPath: '/runs/y/k6.log',
    summaryPath: '/runs/y/summary.json',
    state: 'aborted',
    startedAt: Date.parse('2026-11-22T13:00:01.000Z'),
    endedAt: Date.parse('2026-11-22T13:00:03.000Z'),
    reason: 'stopped by qa',
  };
  await createClickHouseRunRecorder(client).record(aborted);
  expect(await readRun(client, aborted.id)).toMatchObject({ state: 'aborted', reason: 'stopped by qa' });
});

test('the run list reads the newest runs first; an unknown id is no run, or RunNotFoundError', async () => {
  const recent = await readRecentRuns(client, 10);
  expect(recent.map((r) => r.id)).toEqual(['run_20261122T130000Z_abcdef', 'run_20261122T120000Z_abcdef']);
  expect(recent[1]).toMatchObject({
    state: 'finished',
    exitCode: 99,
    startedAt: Date.parse('2026-11-22T12:00:00.456Z'),
  });
  expect(await readRecentRuns(client, 1)).toHaveLength(1);
  expect(await findRun(client, 'run_missing')).toBeUndefined();
  await expect(readRun(client, 'run_missing')).rejects.toThrow('no run run_missing in the store (cp_runs)');
});
