import { expect, it } from 'vitest';
import {
  applyRunEvent,
  emptyRunStream,
  type RunStreamEvent,
  runsNewestFirst,
} from '../../src/lib/run-stream.ts';
import type { RunView } from '../../src/lib/run-view.ts';

const run = (id: string, createdAt: number, state: RunView['state'] = 'running'): RunView => ({
  id,
  scenario: 'smoke',
  state,
  params: {},
  target: 'http://t',
  launchedBy: '',
  createdAt,
  startedAt: null,
  endedAt: null,
  live: null,
  result: null,
  reason: null,
});
const status = (runId: string, at: number, p95Ms: number): RunStreamEvent => ({
  type: 'status',
  runId,
  live: { at, vus: 2, iterations: 1, httpReqs: 3, reqRate: 4, p95Ms, errorRate: 0, thresholds: [] },
});

it('folds the stream: snapshot, state changes and status readings with their history', () => {
  const events: RunStreamEvent[] = [
    { type: 'snapshot', runs: [run('a', 1, 'finished')] },
    { type: 'run', run: run('b', 2, 'starting') },
    { type: 'run', run: run('b', 2, 'running') },
    status('b', 100, 10),
    status('b', 200, 12),
    { type: 'run', run: run('b', 2, 'finished') },
  ];
  const state = events.reduce(applyRunEvent, emptyRunStream);
  expect(runsNewestFirst(state).map((r) => [r.id, r.state])).toEqual([
    ['b', 'finished'],
    ['a', 'finished'],
  ]);
  expect(state.history.b?.map((p) => [p.t, p.p95Ms])).toEqual([
    [100, 10],
    [200, 12],
  ]);
});

it('keeps the latest live reading on the run it belongs to', () => {
  const state = [{ type: 'run', run: run('b', 2) } as RunStreamEvent, status('b', 100, 10)].reduce(
    applyRunEvent,
    emptyRunStream,
  );
  expect(state.runs.b?.live?.p95Ms).toBe(10);
});

it('a status for a run not seen yet still keeps its history', () => {
  const state = applyRunEvent(emptyRunStream, status('x', 5, 1));
  expect(state.runs.x).toBeUndefined();
  expect(state.history.x).toHaveLength(1);
});
