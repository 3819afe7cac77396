// The ClickHouse run recorder against embedded ClickHouse (chDB), with a cp_runs table in the
// column layout the collector's migration owns: rows land, times survive as DateTime64(3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { afterAll, expect, test } from 'vitest';
import { createClickHouseRunRecorder } from '../src/recorder.ts';
import type { FinishedRun, QueuedRun } from '../src/run-state.ts';

type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>;
const client = createClient({
  // chdb types its connection against its own copy of @clickhouse/client-common (FIELD-NOTES).
  connection: createChdbConnection({
    path: mkdtempSync(join(tmpdir(), 'lt-chdb-')),
  }) as unknown as ClientOptions['connection'],
});
afterAll(async () => {
  await client.close();
});

test('every transition is a row; the latest is the current state', async () => {
  await client.command({
    query: `CREATE TABLE cp_runs (
      RunId String, Scenario LowCardinality(String), State LowCardinality(String), Params String,
      Target String, LaunchedBy String, CreatedAt DateTime64(3), StartedAt DateTime64(3),
      EndedAt DateTime64(3), ExitCode Int32, Result String, UpdatedAt DateTime64(3)
    ) ENGINE = ReplacingMergeTree(UpdatedAt) ORDER BY RunId`,
  });
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
