// Every scaled scenario's k6 script, run for a few seconds at tiny scale through the launcher, all at
// once: against the real target-app (embedded PGlite, small catalogue), healthy and with its chaos
// controls answering 500 to every API request.
// And one scenario as two k6 processes (execution segments): started paused, resumed together, each
// doing half the VUs, one run id on every metric point, one aggregated result.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runDistributed } from '../src/distributed.ts';
import { createLauncher, type Launcher } from '../src/launcher.ts';
import type { EndedRun, Run } from '../src/run-state.ts';
import { ParamValidationError } from '../src/scenarios.ts';
import { JOURNEY_ROUTES } from './helpers/journey-routes.ts';
import { type OtlpReceiver, startOtlpReceiver } from './helpers/otlp-receiver.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';
import { waitFor } from './helpers/wait.ts';

let target: TestTarget;
let failing: TestTarget;
let launcher: Launcher;
let receiver: OtlpReceiver;
const runsDir = mkdtempSync(join(tmpdir(), 'lt-scenarios-'));
const runs: Record<string, Run> = {};

beforeAll(async () => {
  // A warm target, as in production: the first queries of a fresh process (JIT, PGlite) are slow.
  target = await startTestTarget({ warm: true });
  failing = await startTestTarget({ chaos: { errorRate: 1 } });
  receiver = await startOtlpReceiver();
  launcher = createLauncher({
    targets: [target.url, failing.url],
    runsDir,
    maxConcurrent: 5,
  });
  const launch = (scenario: string, params: Record<string, unknown>): Run =>
    launcher.launch({ scenario, params, launchedBy: 'int-test' });
  runs.load = launch('load', { target: target.url, scale: 0.0005, duration: '4s' });
  runs.stress = launch('stress', { target: target.url, scale: 0.0001, duration: '1m' });
  runs.endurance = launch('endurance', { target: target.url, scale: 0.0002, duration: '10m' });
  runs.spike = launch('spike', { target: failing.url, scale: 0.0005, duration: '3s' });
  runs.breakpoint = launch('breakpoint', { target: failing.url, scale: 0.001, duration: '1m' });
});
afterAll(async () => {
  await launcher?.close();
  await target?.close();
  await failing?.close();
  await receiver?.close();
});

const ended = (name: string): Promise<EndedRun> => launcher.whenEnded(runs[name]!.id);
const summaryOf = (run: EndedRun) => JSON.parse(readFileSync(run.summaryPath, 'utf8'));

test('load at scale 0.0005 ramps to 5 VUs against the real target, without errors', async () => {
  const run = await ended('load');
  if (run.state !== 'finished') throw new Error(`load ended ${run.state}: ${JSON.stringify(run)}`);
  expect(run.params).toEqual({ scale: 0.0005, vus: 5, duration: '4s', target: target.url });
  // Latency on a shared 2-core box is for benchmarks; correctness thresholds must hold.
  expect([0, 99]).toContain(run.result.exitCode);
  const failed = run.result.thresholds.filter((t) => !t.ok).map((t) => t.metric);
  expect(failed).not.toContain('http_req_failed');
  expect(failed).not.toContain('checks');
  expect(run.result.stats?.httpReqs).toBeGreaterThan(0);
  expect(run.result.perEndpoint?.map((e) => e.name)).toEqual(JOURNEY_ROUTES);
  // Five VUs already hold every journey: browsers, a signed-in user and a price watcher.
  const counted = (name: string) => run.result.perEndpoint?.find((e) => e.name === name)?.count ?? 0;
  expect(counted('GET /api/makes')).toBeGreaterThan(0);
  expect(counted('POST /api/auth/login')).toBeGreaterThan(0);
  expect(summaryOf(run).metrics.ws_sessions.values.count).toBeGreaterThan(0);
  expect(run.result.thresholds.map((t) => `${t.metric} ${t.expr}`)).toContain(
    'http_req_duration{name:GET /api/cars} p(95)<300',
  );
  expect(summaryOf(run).metrics.vus_max.values.max).toBe(5);
});

test.each(['stress', 'endurance'])(
  '%s stopped mid-run ends aborted (exit 103) with its data kept',
  async (name) => {
    const id = runs[name]!.id;
    await waitFor(`${name} to run`, () => launcher.get(id)?.state === 'running', 60_000);
    await sleep(2000);
    const run = await launcher.stop(id);
    if (run.state !== 'aborted') throw new Error(`${name} ended ${run.state}`);
    expect(run.reason).toBe('stopped by user');
    expect(run.result?.exitCode).toBe(103);
    expect(run.result?.stats?.httpReqs).toBeGreaterThan(0);
    expect(summaryOf(run).metrics.http_reqs.values.count).toBe(run.result?.stats?.httpReqs);
  },
);

test('spike against a failing target runs its whole course and finishes with exit 99', async () => {
  const run = await ended('spike');
  if (run.state !== 'finished') throw new Error(`spike ended ${run.state}: ${JSON.stringify(run)}`);
  expect(run.result.exitCode).toBe(99);
  expect(run.result.thresholdsPassed).toBe(false);
  expect(run.result.thresholds.filter((t) => !t.ok).map((t) => t.metric)).toContain('http_req_failed');
  expect(run.result.stats?.durationMs).toBeGreaterThanOrEqual(3000);
  expect(summaryOf(run).metrics.vus_max.values.max).toBe(10);
});

test('breakpoint aborts on its failing thresholds (abortOnFail) long before its duration: exit 99', async () => {
  const run = await ended('breakpoint');
  if (run.state !== 'finished') throw new Error(`breakpoint ended ${run.state}: ${JSON.stringify(run)}`);
  expect(run.result.exitCode).toBe(99);
  expect(run.result.thresholdsPassed).toBe(false);
  expect(run.result.thresholds.filter((t) => !t.ok).map((t) => t.metric)).toContain('http_req_failed');
  expect(run.result.stats?.httpReqs).toBeGreaterThan(0);
  expect(run.result.stats?.durationMs).toBeLessThan(20_000);
  expect(readFileSync(run.logPath, 'utf8')).toMatch(
    /arrival rate reached ≈ [\d.]+ sessions\/s of 20 planned/,
  );
  expect(await failing.requestsServed()).toBeGreaterThan(0);
});

test('a load run split over N = 2 segments starts together and aggregates into one result', async () => {
  const recorded: Run[] = [];
  const run = runDistributed({
    scenario: 'load',
    params: { target: target.url, scale: 0.001, duration: '4s' },
    targets: [target.url],
    segments: 2,
    runsDir,
    otlpEndpoint: receiver.endpoint,
    recorder: { record: async (r) => void recorded.push(r) },
    launchedBy: 'int-test',
  });
  const result = await run.done;

  expect(result.state).toBe('finished');
  // Resumed once every segment was up, in one go; how far apart the resumes land is speed,
  // measured against a single k6's REST round trip in bench/load-tests/segment-resume.ts.
  expect(result.resumedAt).toBeTypeOf('number');
  expect(result.resumeSpreadMs).toBeTypeOf('number');
  expect(result.segments.map((s) => [s.segment, s.sequence])).toEqual([
    ['0:1/2', '0,1/2,1'],
    ['1/2:1', '0,1/2,1'],
  ]);
  for (const s of result.segments) {
    const log = readFileSync(s.logPath, 'utf8');
    expect(log).toContain('--paused');
    expect(log).toContain(`--tag run_id=${result.runId}`);
    expect(log).toContain(`--execution-segment ${s.segment}`);
    // Each process runs half of the 10 VUs.
    expect(JSON.parse(readFileSync(s.summaryPath, 'utf8')).metrics.vus_max.values.max).toBe(5);
    expect(s.result.stats?.httpReqs).toBeGreaterThan(0);
  }

  const agg = result.aggregate;
  if (!agg) throw new Error('no aggregate');
  expect(agg.segments).toBe(2);
  expect(agg.stats.httpReqs).toBe(result.segments.reduce((n, s) => n + (s.result.stats?.httpReqs ?? 0), 0));
  expect(agg.stats.p95Ms).toBe(Math.max(...result.segments.map((s) => s.result.stats?.p95Ms ?? 0)));
  expect(agg.perEndpoint.map((e) => e.name)).toEqual(JOURNEY_ROUTES);
  expect(agg.thresholds.map((t) => t.metric)).toContain('http_req_failed');

  // Recorded like a launcher run, with the aggregated numbers.
  expect(recorded.map((r) => r.state)).toEqual(['running', 'finished']);
  // Running from the moment the segments were resumed (not from when they were spawned paused).
  expect(recorded[0]).toMatchObject({ state: 'running', startedAt: result.resumedAt });
  const last = recorded.at(-1);
  if (last?.state !== 'finished') throw new Error('not recorded as finished');
  expect(last.params).toMatchObject({ segments: 2, scale: 0.001 });
  expect(last.result.stats?.httpReqs).toBe(agg.stats.httpReqs);

  // Both processes' points carry the one run id (so the store aggregates) and their own segment.
  const points = receiver.metrics.filter((m) => m.name === 'http_reqs').flatMap((m) => m.attributes);
  expect(points.every((a) => a.run_id === result.runId)).toBe(true);
  expect(new Set(points.map((a) => a.segment))).toEqual(new Set(['0:1/2', '1/2:1']));
});

test('bad parameters start nothing', () => {
  expect(() =>
    runDistributed({
      scenario: 'load',
      params: { target: 'http://10.1.2.3', scale: 0.001 },
      targets: [target.url],
      segments: 2,
      runsDir,
    }),
  ).toThrow(ParamValidationError);
});
