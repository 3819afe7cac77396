import type { Run, RunResult } from 'load-tests';
import { describe, expect, it } from 'vitest';
import { isActive, mergeRuns, type RunView, toRunView } from '../../src/lib/run-view.ts';
import { storedRunToView } from '../../src/server/run-history.ts';

const base = {
  id: 'run_1',
  scenario: 'smoke',
  params: { vus: 2, duration: '5s', target: 'http://t' },
  target: 'http://t',
  launchedBy: 'dashboard',
  createdAt: 1000,
  runDir: '/secret/runs/run_1',
  logPath: '/secret/runs/run_1/k6.log',
  summaryPath: '/secret/runs/run_1/summary.json',
};
const live = {
  at: 3000,
  vus: 2,
  iterations: 4,
  httpReqs: 20,
  reqRate: 10,
  p95Ms: 12,
  errorRate: 0,
  thresholds: [],
};
const result: RunResult = {
  exitCode: 0,
  exitMeaning: 'ok',
  thresholdsPassed: true,
  thresholds: [{ metric: 'http_req_duration', expr: 'p(95)<200', ok: true }],
  stats: null,
};

describe('toRunView', () => {
  it('flattens each state of the lifecycle, without server paths', () => {
    const states: Run[] = [
      { ...base, state: 'queued' },
      { ...base, state: 'running', startedAt: 2000, apiAddress: '127.0.0.1:1', live },
      { ...base, state: 'stopping', startedAt: 2000, apiAddress: '127.0.0.1:1', stopRequestedAt: 4000 },
      { ...base, state: 'finished', startedAt: 2000, endedAt: 8000, result },
      { ...base, state: 'failed', endedAt: 1500, reason: 'k6 not found' },
    ];
    const views = states.map(toRunView);
    expect(views.map((v) => [v.state, v.startedAt, v.endedAt, v.reason])).toEqual([
      ['queued', null, null, null],
      ['running', 2000, null, null],
      ['stopping', 2000, null, null],
      ['finished', 2000, 8000, null],
      ['failed', null, 1500, 'k6 not found'],
    ]);
    expect(views[1]?.live).toEqual(live);
    expect(views[3]?.result).toEqual(result);
    expect(JSON.stringify(views)).not.toContain('/secret');
  });

  it('knows which states are active', () => {
    expect(
      ['queued', 'starting', 'running', 'stopping', 'finished', 'failed', 'aborted'].map((state) =>
        isActive({ state } as RunView),
      ),
    ).toEqual([true, true, true, true, false, false, false]);
  });
});

describe('storedRunToView', () => {
  it('shows a stored run without live numbers or its exit code', () => {
    const stored = {
      id: 'run_9',
      scenario: 'smoke',
      state: 'finished' as const,
      params: { vus: 2 },
      target: 'http://t',
      launchedBy: 'dashboard',
      createdAt: 1000,
      startedAt: 2000,
      endedAt: null,
      exitCode: 0,
      result,
      reason: null,
    };
    const { exitCode: _exitCode, ...rest } = stored;
    expect(storedRunToView(stored)).toEqual({ ...rest, live: null });
  });
});

describe('mergeRuns', () => {
  const view = (id: string, createdAt: number, state: RunView['state']): RunView => ({
    ...toRunView({ ...base, id, createdAt, state: 'queued' }),
    state,
  });

  it('lists newest first and prefers the live copy of a run', () => {
    const merged = mergeRuns([view('b', 2, 'running')], [view('a', 1, 'finished'), view('b', 2, 'queued')]);
    expect(merged.map((r) => [r.id, r.state])).toEqual([
      ['b', 'running'],
      ['a', 'finished'],
    ]);
  });

  it('marks a stored run that is still "running" but unknown to this process as aborted', () => {
    const [orphan] = mergeRuns([], [view('old', 1, 'running')], new Set());
    expect(orphan?.state).toBe('aborted');
    expect(orphan?.reason).toMatch(/process/);
  });
});
