// The launcher against a real k6 binary and the real target-app (embedded PGlite, small catalogue):
// one healthy, one whose chaos controls answer 500 to every API request, for the failing run.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunEvent, RunStatusEvent } from '../src/events.ts';
import { createLauncher } from '../src/launcher.ts';
import type { Run } from '../src/run-state.ts';
import { JOURNEY_ROUTES } from './helpers/journey-routes.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';
import { waitFor } from './helpers/wait.ts';

let target: TestTarget;
let failing: TestTarget;
let runsDir: string;

beforeAll(async () => {
  target = await startTestTarget({ warm: true });
  failing = await startTestTarget({ chaos: { errorRate: 1 } });
  runsDir = mkdtempSync(join(tmpdir(), 'lt-runs-'));
});
afterAll(async () => {
  await target?.close();
  await failing?.close();
});

function observe(launcher: ReturnType<typeof createLauncher>) {
  const events: RunEvent[] = [];
  launcher.subscribe((e) => events.push(e));
  const runId = (e: RunEvent): string => (e.type === 'state' ? e.run.id : e.runId);
  return {
    events,
    states: (id: string) =>
      events.flatMap((e) => (e.type === 'state' && e.run.id === id ? [e.run.state] : [])),
    statuses: (id: string) =>
      events.filter((e): e is RunStatusEvent => e.type === 'status' && runId(e) === id),
    logs: (id: string) => events.flatMap((e) => (e.type === 'log' && e.runId === id ? [e.line] : [])),
  };
}

test('a smoke run goes queued → starting → running → finished, with live status and a result', async () => {
  const recorded: Run[] = [];
  const launcher = createLauncher({
    targets: [target.url],
    runsDir,
    recorder: { record: async (run) => void recorded.push(run) },
  });
  const seen = observe(launcher);
  const run = launcher.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 2, duration: '5s' },
    launchedBy: 'int-test',
  });
  const ended = await launcher.whenEnded(run.id);
  await launcher.close();

  expect(seen.states(run.id)).toEqual(['queued', 'starting', 'running', 'finished']);
  expect(recorded.map((r) => r.state)).toEqual(['queued', 'starting', 'running', 'finished']);
  const live = seen.statuses(run.id);
  expect(live.some((s) => s.httpReqs > 0 && s.vus > 0 && s.p95Ms !== null)).toBe(true);
  // k6's REST API lists a route's threshold once that route has samples; the last poll may precede
  // the first recommendations request.
  expect(live.at(-1)?.thresholds.map((t) => t.metric)).toEqual(
    expect.arrayContaining([
      'checks',
      'http_req_duration',
      'http_req_duration{name:GET /api/cars}',
      'http_req_failed',
    ]),
  );

  if (ended.state !== 'finished') throw new Error(`run ended ${ended.state}: ${JSON.stringify(ended)}`);
  expect(ended.launchedBy).toBe('int-test');
  expect(ended.live?.httpReqs).toBeGreaterThan(0);
  const { result } = ended;
  expect(result.exitCode).toBe(0);
  expect(result.thresholdsPassed).toBe(true);
  expect(result.thresholds.map((t) => `${t.metric} ${t.expr}`)).toEqual([
    'checks rate>0.99',
    'http_req_duration p(95)<200',
    'http_req_duration{name:GET /api/cars} p(95)<300',
    'http_req_duration{name:GET /api/recommendations} p(95)<150',
    'http_req_failed rate<0.001',
    'realtime_latency p(95)<50',
  ]);
  expect(result.stats?.p95Ms).toBeGreaterThan(0);
  expect(result.stats?.httpReqs).toBeGreaterThan(0);
  expect(result.stats?.durationMs).toBeGreaterThanOrEqual(5000);
  // Every route of the three journeys (the signed-in user's account routes included).
  expect(result.perEndpoint?.map((e) => e.name)).toEqual(JOURNEY_ROUTES);

  expect(JSON.parse(readFileSync(ended.summaryPath, 'utf8')).metrics.http_reqs.values.count).toBe(
    result.stats?.httpReqs,
  );
  const log = readFileSync(ended.logPath, 'utf8');
  expect(log).toContain(`--tag run_id=${run.id}`);
  expect(log).toContain('smoke:');
  expect(seen.logs(run.id).some((l) => l.startsWith('smoke:'))).toBe(true);
});

test('stopping a running run ends it aborted with exit 103 within seconds; a queued run never starts', async () => {
  const launcher = createLauncher({ targets: [target.url], runsDir, maxConcurrent: 1 });
  const seen = observe(launcher);
  const long = launcher.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 2, duration: '30s' },
  });
  const waiting = launcher.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 1, duration: '5s' },
  });
  expect(launcher.get(waiting.id)?.state).toBe('queued');

  const cancelled = await launcher.stop(waiting.id);
  expect(cancelled.state).toBe('aborted');
  expect(seen.states(waiting.id)).toEqual(['queued', 'aborted']);
  expect(existsSync(cancelled.runDir)).toBe(false);

  await waitFor('the long run to run', () => launcher.get(long.id)?.state === 'running');
  await sleep(3000);
  expect(seen.statuses(long.id).length).toBeGreaterThan(0);
  const asked = Date.now();
  const stopped = await launcher.stop(long.id);
  const tookMs = Date.now() - asked;
  await launcher.close();

  expect(seen.states(long.id)).toEqual(['queued', 'starting', 'running', 'stopping', 'aborted']);
  if (stopped.state !== 'aborted') throw new Error(`run ended ${stopped.state}`);
  expect(stopped.reason).toBe('stopped by user');
  expect(stopped.result?.exitCode).toBe(103);
  expect(stopped.result?.stats?.httpReqs).toBeGreaterThan(0);
  expect(tookMs).toBeLessThan(5000);
});

test('a target answering 500 (chaos errorRate 1) finishes with failed thresholds and exit 99', async () => {
  const launcher = createLauncher({ targets: [failing.url], runsDir });
  const run = launcher.launch({ scenario: 'smoke', params: { target: failing.url, vus: 2, duration: '3s' } });
  const ended = await launcher.whenEnded(run.id);
  await launcher.close();

  if (ended.state !== 'finished') throw new Error(`run ended ${ended.state}: ${JSON.stringify(ended)}`);
  expect(ended.result.exitCode).toBe(99);
  expect(ended.result.exitMeaning).toBe('thresholds failed');
  expect(ended.result.thresholdsPassed).toBe(false);
  expect(ended.result.thresholds.filter((t) => !t.ok).map((t) => t.metric)).toEqual([
    'checks',
    'http_req_failed',
  ]);
  expect(ended.result.stats?.errorRate).toBe(1);
  expect(await failing.requestsServed()).toBeGreaterThanOrEqual(ended.result.stats?.httpReqs ?? 1);
});
