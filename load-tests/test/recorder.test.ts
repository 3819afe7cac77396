import { expect, test } from 'vitest';
import { runToRow } from '../src/recorder.ts';
import type { FinishedRun, QueuedRun } from '../src/run-state.ts';

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
