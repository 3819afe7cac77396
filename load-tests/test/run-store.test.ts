// cp_runs rows both ways: a run as the row appended for it, and a row read back as a stored run.
import { expect, test } from 'vitest';
import type { FinishedRun, QueuedRun } from '../src/run-state.ts';
import { runToRow, storedRunOfRow } from '../src/run-store.ts';

const queued: QueuedRun = {
  id: 'run_1',
  scenario: 'smoke',
  params: { vus: 2, duration: '5s', target: 'http://127.0.0.1:8080' },
  target: 'http://127.0.0.1:8080',
  launchedBy: 'qa@example.test',
  createdAt: 1_700_000_000_000,
  runDir: '/runs/run_1',
  logPath: '/runs/run_1/k6.log',
  summaryPath: '/runs/run_1/summary.json',
  state: 'queued',
};

test('a queued run: unset times are 0, exit code -1, no result', () => {
  expect(runToRow(queued, 1_700_000_000_005)).toEqual({
    RunId: 'run_1',
    Scenario: 'smoke',
    State: 'queued',
    Params: '{"vus":2,"duration":"5s","target":"http://127.0.0.1:8080"}',
    Target: 'http://127.0.0.1:8080',
    LaunchedBy: 'qa@example.test',
    CreatedAt: 1_700_000_000_000,
    StartedAt: 0,
    EndedAt: 0,
    ExitCode: -1,
    Result: '',
    Reason: '',
    UpdatedAt: 1_700_000_000_005,
  });
});

test('a finished run carries its times, exit code and result JSON', () => {
  const finished: FinishedRun = {
    ...queued,
    state: 'finished',
    startedAt: 1_700_000_000_100,
    endedAt: 1_700_000_006_000,
    result: {
      exitCode: 99,
      exitMeaning: 'thresholds failed',
      thresholdsPassed: false,
      thresholds: [],
      stats: null,
    },
  };
  const row = runToRow(finished);
  expect([row.State, row.StartedAt, row.EndedAt, row.ExitCode]).toEqual([
    'finished',
    1_700_000_000_100,
    1_700_000_006_000,
    99,
  ]);
  expect(JSON.parse(row.Result)).toEqual(finished.result);
});

const read = {
  RunId: 'run_9',
  Scenario: 'smoke',
  State: 'finished',
  Params: '{"vus":2,"duration":"5s"}',
  Target: 'http://t',
  LaunchedBy: 'dashboard',
  ExitCode: 0,
  Result: JSON.stringify({
    exitCode: 0,
    exitMeaning: 'ok',
    thresholdsPassed: true,
    thresholds: [],
    stats: null,
  }),
  Reason: '',
  createdMs: '1000',
  startedMs: '2000',
  endedMs: '0',
};

test('a row read back: JSON columns parsed, zero times and an empty reason as unset', () => {
  expect(storedRunOfRow(read)).toEqual({
    id: 'run_9',
    scenario: 'smoke',
    state: 'finished',
    params: { vus: 2, duration: '5s' },
    target: 'http://t',
    launchedBy: 'dashboard',
    createdAt: 1000,
    startedAt: 2000,
    endedAt: null,
    exitCode: 0,
    result: { exitCode: 0, exitMeaning: 'ok', thresholdsPassed: true, thresholds: [], stats: null },
    reason: null,
  });
  expect(storedRunOfRow({ ...read, ExitCode: -1 })?.exitCode).toBeNull();
});

test('damaged JSON reads as empty; an unknown state is no run', () => {
  expect(storedRunOfRow({ ...read, Params: '{', Result: 'nope' })).toMatchObject({
    params: {},
    result: null,
  });
  expect(storedRunOfRow({ ...read, State: 'exploded' })).toBeUndefined();
});
