// The account and price-feed journeys, run by the smoke scenario's script with real k6 against the
// real target-app (embedded PGlite, bcrypt, JWT, WebSocket feed): sign-ups, logins, favourites
// and feed messages happen for real, and the summary k6 writes through handleSummary shows them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolveK6Path } from '../src/k6-binary.ts';
import { scenarioScript } from '../src/scenario-script.ts';
import { scenarios } from '../src/scenarios.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';

type Metric = { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> };
type Check = { name: string; passes: number; fails: number };
type Summary = { metrics: Record<string, Metric | undefined>; root_group: { checks: Check[] } };

let target: TestTarget;
let dir: string;
let summary: Summary;
let exitCode: number;
/** Wall time of the whole k6 run: no message of it can take longer than that to arrive. */
let runWallMs: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lt-journeys-'));
  // A small catalogue and a brisk price changer, so a watcher gets messages within its 2 s session.
  target = await startTestTarget();
  const summaryPath = join(dir, 'summary.json');
  const env = { BASE_URL: target.url, VUS: '3', DURATION: '4s', SUMMARY_PATH: summaryPath };
  // Every access token is refreshed before use (margin ≥ its 15 min lifetime): the refresh path runs.
  const args = ['run', '--quiet', '--no-usage-report', '-e', 'TOKEN_REFRESH_MARGIN_S=900'];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  args.push(scenarioScript(scenarios.smoke));
  const started = Date.now();
  exitCode = await promisify(execFile)(resolveK6Path(), args, { cwd: dir }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  runWallMs = Date.now() - started;
  summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary;
}, 90_000);

afterAll(async () => {
  await target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const checks = (prefix: string): Check[] =>
  summary.root_group.checks.filter((c) => c.name.startsWith(prefix));
const count = (metric: string): number => summary.metrics[metric]?.values.count ?? 0;
const routeCount = (route: string): number => count(`http_req_duration{name:${route}}`);

test('smoke exercises all three journeys: 3 VUs start on account, price feed and browse', () => {
  // Correctness must hold; latency on a shared 2-core box is for benchmarks (exit 99 allowed).
  expect([0, 99]).toContain(exitCode);
  expect(summary.metrics.http_req_failed?.values.rate).toBe(0);
  expect(routeCount('GET /api/makes')).toBeGreaterThan(0);
  expect(routeCount('POST /api/auth/register')).toBeGreaterThan(0);
  expect(count('ws_sessions')).toBeGreaterThan(0);
});

test('the account journey signs up, logs in once, refreshes and manages favourites, all checks passing', () => {
  const account = [
    ...checks('register'),
    ...checks('login'),
    ...checks('me'),
    ...checks('refresh'),
    ...checks('favourites'),
    ...checks('recommendations (signed in)'),
  ];
  expect(account.map((c) => c.name)).toEqual(
    expect.arrayContaining([
      'register: status 201',
      'login: status 200',
      'refresh: status 200',
      'me: is the signed-in user',
      'favourites: added',
      'favourites: list holds the saved cars',
      'recommendations (signed in): status 200',
    ]),
  );
  for (const c of account) expect(c, c.name).toMatchObject({ fails: 0 });
  // Smoke has one signed-in user (VU 1): it registers and logs in once over all its visits, then
  // refreshes its token instead of logging in again.
  expect(routeCount('POST /api/auth/register')).toBe(1);
  expect(routeCount('POST /api/auth/login')).toBe(1);
  expect(routeCount('POST /api/auth/refresh')).toBeGreaterThan(1);
  expect(routeCount('GET /api/auth/me')).toBeGreaterThan(1);
  expect(count('favourites_added')).toBeGreaterThanOrEqual(2);
  expect(routeCount('POST /api/favourites')).toBe(count('favourites_added'));
  expect(routeCount('GET /api/favourites')).toBeGreaterThan(0);
  expect(routeCount('DELETE /api/favourites/:carId')).toBeGreaterThan(0);
});

test('the price-feed journey measures delivery latency and is judged by the plan’s 50 ms threshold', () => {
  for (const c of checks('price feed')) expect(c, c.name).toMatchObject({ fails: 0 });
  expect(checks('price feed').map((c) => c.name)).toContain('price feed: watch acknowledged');
  expect(count('realtime_messages')).toBeGreaterThan(0);
  const latency = summary.metrics.realtime_latency;
  expect(latency?.values.count).toBe(count('realtime_messages'));
  // Receive time − the server's sentAt: an interval inside this run, so between 0 and its wall
  // time; a unit or clock mix-up (seconds, a monotonic clock) lands far outside (k6 clamps below 0).
  expect(latency?.values.min).toBeGreaterThanOrEqual(0);
  expect(latency?.values.max).toBeLessThanOrEqual(runWallMs);
  // A price is committed (changedAt) before it is sent: per message, the change latency is at
  // least the delivery latency, so on average too.
  const change = summary.metrics.realtime_change_latency;
  expect(change?.values.max).toBeLessThanOrEqual(runWallMs);
  expect(change?.values.avg).toBeGreaterThanOrEqual(latency?.values.avg ?? Number.NaN);
  expect(Object.keys(latency?.thresholds ?? {})).toEqual(['p(95)<50']);
  expect(count('realtime_change_latency')).toBe(count('realtime_messages'));
});
