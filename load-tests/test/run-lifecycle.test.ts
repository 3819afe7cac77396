// reduceRun over every state × event: which run each event leads to, and which it refuses.
import { describe, expect, it } from 'vitest';
import { SHUT_DOWN, STOPPED_BY_USER, type StopCause } from '../src/exit-codes.ts';
import { type RunExecutionEvent, type RunExecutionEventType, reduceRun } from '../src/run-lifecycle.ts';
import { canTransition, type LiveStatus, type Run, type RunResult, type RunState } from '../src/run-state.ts';

const base = {
  id: 'run_1',
  scenario: 'smoke',
  params: { vus: 2, duration: '5s', target: 'http://127.0.0.1:8080' },
  target: 'http://127.0.0.1:8080',
  launchedBy: 'qa',
  createdAt: 1_000,
  runDir: '/runs/run_1',
  logPath: '/runs/run_1/k6.log',
  summaryPath: '/runs/run_1/summary.json',
};
const live: LiveStatus = {
  at: 2_500,
  vus: 2,
  iterations: 10,
  httpReqs: 40,
  reqRate: 8,
  p95Ms: 12,
  errorRate: 0,
  thresholds: [{ metric: 'http_req_duration', ok: true }],
};
const result = (exitCode: number | null): RunResult => ({
  exitCode,
  exitMeaning: 'as k6 said',
  thresholdsPassed: exitCode === 0,
  thresholds: [],
  stats: null,
});
const started = { startedAt: 2_000, apiAddress: '127.0.0.1:6565', live };
const ended = { startedAt: 2_000, endedAt: 9_000 };

const runIn: Record<RunState, Run> = {
  queued: { ...base, state: 'queued' },
  starting: { ...base, ...started, state: 'starting' },
  running: { ...base, ...started, state: 'running' },
  stopping: { ...base, ...started, state: 'stopping', stopRequestedAt: 5_000 },
  finished: { ...base, ...ended, state: 'finished', result: result(0) },
  failed: { ...base, ...ended, state: 'failed', reason: 'k6 error' },
  aborted: { ...base, ...ended, state: 'aborted', reason: 'stopped by user' },
  lost: { ...base, ...ended, state: 'lost', reason: 'gone' },
};

const exited = (code: number | null, stopCause: StopCause | null = null, extra = {}): RunExecutionEvent => ({
  type: 'exited',
  at: 10_000,
  exit: { code, signal: code === null ? 'SIGKILL' : null },
  stopCause,
  result: result(code),
  ...extra,
});
function segmentsExited(codes: (number | null)[], stopCause: StopCause | null = null): RunExecutionEvent {
  const exits = codes.map((code, i) => ({
    segment: `${i}/2:${i + 1}/2`,
    code,
    exitMeaning: `meaning of ${code}`,
  }));
  return {
    type: 'segments-exited',
    at: 10_000,
    exits,
    stopCause,
    result: result(codes.find((c) => c !== 0) ?? 0),
  };
}
const eventOf: Record<RunExecutionEventType, RunExecutionEvent> = {
  spawned: { type: 'spawned', at: 2_000, apiAddress: '127.0.0.1:6565' },
  'api-up': { type: 'api-up' },
  status: { type: 'status', live },
  'stop-requested': { type: 'stop-requested', at: 5_000 },
  exited: exited(0),
  failed: { type: 'failed', at: 10_000, reason: 'could not run k6: ENOENT' },
  'segments-exited': segmentsExited([0, 99]),
  cancelled: { type: 'cancelled', at: 10_000, cause: STOPPED_BY_USER },
};

// What each event does to a run in each state: the state it moves to, 'updated' (live numbers
// only) or 'refused' (the run stays as it was).
const table: Record<RunState, Record<RunExecutionEventType, RunState | 'updated' | 'refused'>> = {
  queued: {
    spawned: 'starting',
    'api-up': 'refused',
    status: 'refused',
    'stop-requested': 'refused',
    exited: 'refused',
    failed: 'failed',
    'segments-exited': 'failed',
    cancelled: 'aborted',
  },
  starting: {
    spawned: 'refused',
    'api-up': 'running',
    status: 'updated',
    'stop-requested': 'stopping',
    exited: 'finished',
    failed: 'failed',
    'segments-exited': 'finished',
    cancelled: 'refused',
  },
  running: {
    spawned: 'refused',
    'api-up': 'refused',
    status: 'updated',
    'stop-requested': 'stopping',
    exited: 'finished',
    failed: 'failed',
    'segments-exited': 'finished',
    cancelled: 'refused',
  },
  stopping: {
    spawned: 'refused',
    'api-up': 'refused',
    status: 'updated',
    'stop-requested': 'refused',
    exited: 'finished',
    failed: 'failed',
    'segments-exited': 'finished',
    cancelled: 'refused',
  },
  finished: allRefused(),
  failed: allRefused(),
  aborted: allRefused(),
  lost: allRefused(),
};
function allRefused(): Record<RunExecutionEventType, 'refused'> {
  return {
    spawned: 'refused',
    'api-up': 'refused',
    status: 'refused',
    'stop-requested': 'refused',
    exited: 'refused',
    failed: 'refused',
    'segments-exited': 'refused',
    cancelled: 'refused',
  };
}

const cases = Object.entries(table).flatMap(([from, row]) =>
  Object.entries(row).map(([event, expected]) => ({ from: from as RunState, event, expected })),
);

describe('reduceRun: every state × every event', () => {
  it.each(cases)('$from + $event → $expected', ({ from, event, expected }) => {
    const run = runIn[from];
    const reduction = reduceRun(run, eventOf[event as RunExecutionEventType]);
    if (expected === 'refused') {
      expect(reduction).toMatchObject({ outcome: 'refused', run });
      expect(reduction.outcome === 'refused' && reduction.reason).toContain(`a ${from} run`);
    } else if (expected === 'updated') {
      expect(reduction).toEqual({ outcome: 'updated', run: { ...run, live }, live });
    } else {
      expect(reduction.outcome).toBe('moved');
      expect(reduction.run.state).toBe(expected);
      expect(canTransition(from, expected)).toBe(true);
    }
  });
});

describe('reduceRun: the runs it leads to', () => {
  it('a spawned run is starting, with its start time and REST API address', () => {
    expect(reduceRun(runIn.queued, eventOf.spawned).run).toEqual({
      ...base,
      state: 'starting',
      startedAt: 2_000,
      apiAddress: '127.0.0.1:6565',
    });
  });

  it('a stop asked of a started run records when', () => {
    expect(reduceRun(runIn.running, eventOf['stop-requested']).run).toEqual({
      ...runIn.running,
      state: 'stopping',
      stopRequestedAt: 5_000,
    });
  });

  it('an ended run keeps its start time and last live numbers, not its API address or stop time', () => {
    expect(reduceRun(runIn.stopping, exited(0)).run).toEqual({
      ...base,
      state: 'finished',
      startedAt: 2_000,
      endedAt: 10_000,
      live,
      result: result(0),
    });
  });

  it.each([
    { exit: exited(0), state: 'finished', reason: undefined },
    { exit: exited(99), state: 'finished', reason: undefined },
    { exit: exited(103, STOPPED_BY_USER), state: 'aborted', reason: 'stopped by user' },
    { exit: exited(0, STOPPED_BY_USER), state: 'finished', reason: undefined },
    { exit: exited(103), state: 'aborted', reason: 'stopped through the REST API' },
    { exit: exited(108), state: 'aborted', reason: 'script called test.abort()' },
    {
      exit: exited(105, { state: 'failed', reason: 'target exited: SIGKILL' }),
      state: 'failed',
      reason: 'target exited: SIGKILL',
    },
    { exit: exited(107), state: 'failed', reason: 'k6 script exception (exit 107)' },
    { exit: exited(null), state: 'failed', reason: 'k6 killed by SIGKILL' },
    {
      exit: exited(103, null, { hungAfterMs: 122_400 }),
      state: 'failed',
      reason: 'k6 hung: still running 122 s after it started, past its planned duration; stopped (exit 103)',
    },
  ])('k6 exiting ($exit.exit.code) ends the run $state: $reason', ({ exit, state, reason }) => {
    const run = reduceRun(runIn.running, exit).run;
    expect(run.state).toBe(state);
    expect('reason' in run ? run.reason : undefined).toBe(reason);
    expect('result' in run && run.result).toEqual(exit.type === 'exited' && exit.result);
  });

  it('a failure before k6 started leaves no start time; after, it keeps it', () => {
    expect(reduceRun(runIn.queued, eventOf.failed).run).toEqual({
      ...base,
      state: 'failed',
      endedAt: 10_000,
      reason: 'could not run k6: ENOENT',
    });
    expect(reduceRun(runIn.running, eventOf.failed).run).toEqual({
      ...base,
      state: 'failed',
      startedAt: 2_000,
      endedAt: 10_000,
      live,
      reason: 'could not run k6: ENOENT',
    });
  });

  it('a cancelled queued run ends as its cause says', () => {
    expect(reduceRun(runIn.queued, { type: 'cancelled', at: 3_000, cause: SHUT_DOWN }).run).toEqual({
      ...base,
      state: 'aborted',
      endedAt: 3_000,
      reason: 'shut down',
    });
    const targetDied: StopCause = { state: 'failed', reason: 'target exited: SIGKILL' };
    expect(reduceRun(runIn.queued, { type: 'cancelled', at: 3_000, cause: targetDied }).run).toMatchObject({
      state: 'failed',
      reason: 'target exited: SIGKILL',
    });
  });
});

describe('reduceRun: a distributed run ends as its segments did', () => {
  it.each([
    { from: 'running', event: segmentsExited([0, 99]), state: 'finished', reason: undefined },
    {
      from: 'running',
      event: segmentsExited([0, 107]),
      state: 'failed',
      reason: 'segment 1/2:2/2: k6 meaning of 107',
    },
    {
      from: 'running',
      event: segmentsExited([103, 103], STOPPED_BY_USER),
      state: 'aborted',
      reason: 'stopped by user',
    },
    {
      from: 'queued',
      event: segmentsExited([105, 105], STOPPED_BY_USER),
      state: 'aborted',
      reason: 'stopped by user',
    },
    {
      from: 'queued',
      event: segmentsExited([105, 0]),
      state: 'failed',
      reason: 'a segment did not come up (see its k6.log)',
    },
  ] as const)(
    '$from, exits $event.exits.0.code/$event.exits.1.code → $state',
    ({ from, event, state, reason }) => {
      const run = reduceRun(runIn[from], event).run;
      expect(run.state).toBe(state);
      expect('reason' in run ? run.reason : undefined).toBe(reason);
      expect('result' in run && run.result).toEqual(event.type === 'segments-exited' && event.result);
      expect(run.state !== 'queued' && run.startedAt).toBe(from === 'queued' ? undefined : 2_000);
    },
  );
});
