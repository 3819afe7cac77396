// Run ceilings through the real API: per-role VU and duration ceilings (RUN_MAX_*) and a bounded
// run queue (RUN_QUEUE_MAX), with the real launcher starting real k6 processes, the real store and
// audit log. An over-limit launch is refused with a clear error — 400 naming the ceiling, 429 with
// Retry-After for a full queue — and changes nothing: no run, no record, no audit entry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '../../src/app/api/trpc/[trpc]/route.ts';
import { EnvError, parseDashboardEnv } from '../../src/env.ts';
import type { SessionUser } from '../../src/lib/roles.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { readStoredRuns } from '../../src/server/run-history.ts';
import { registerServices, unregisterServices } from '../../src/server/services.ts';
import { signInCookie, TEST_USERS, testUsersEnv } from '../support/users.ts';

// Nothing listens there: k6 runs (its requests fail fast), which is all a queue needs.
const TARGET = 'http://127.0.0.1:9';
const [, QA, ADMIN] = TEST_USERS;
let dir: string;
let running: RunningServices;

const as = (user: SessionUser) => createCaller({ services: running.services, headers: new Headers(), user });
const qa = () => as({ name: QA.name, role: QA.role });
const admin = () => as({ name: ADMIN.name, role: ADMIN.role });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-run-limits-'));
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    COLLECTOR_PORT: '0',
    TARGET_URL: TARGET,
    PORT: '0',
    PAGE_CHECK_INTERVAL: '0',
    DASHBOARD_USERS: await testUsersEnv(),
    RUN_QUEUE_MAX: '1',
    RUN_MAX_VUS_QA: '2',
    RUN_MAX_DURATION_QA: '30s',
    RUN_MAX_VUS_ADMIN: '4',
    RUN_MAX_DURATION_ADMIN: '2m',
  });
  running = await startServices(env, () => undefined);
  registerServices(running.services);
});

afterEach(async () => {
  const { launcher } = running.services;
  await Promise.all(launcher.list().map((run) => launcher.stop(run.id)));
});

afterAll(async () => {
  unregisterServices();
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What an over-limit launch must leave as it was (once the launcher's records are written). */
async function snapshot() {
  const { launcher, store } = running.services;
  const live = launcher.list().map((r) => r.id);
  let stored: string[] = [];
  for (let i = 0; i < 100; i++) {
    stored = (await readStoredRuns(store.client, 100)).map((r) => r.id);
    if (live.every((id) => stored.includes(id))) break;
    await sleep(100);
  }
  return {
    live: live.sort(),
    stored: stored.sort(),
    launches: (await admin().audit.list({ action: 'run.launch' })).entries.length,
  };
}

const smoke = (params: Record<string, unknown>) => ({
  scenario: 'smoke',
  params: { target: TARGET, vus: 1, duration: '20s', ...params },
});

describe('per-role ceilings', () => {
  it('refuses qa over its VU and duration ceilings, naming them, and changes nothing', async () => {
    const before = await snapshot();
    await expect(qa().runs.launch(smoke({ vus: 3 }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'vus: 3 VUs is over the ceiling of 2 for the qa role',
    });
    await expect(qa().runs.launch(smoke({ duration: '31s' }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'duration: 31s is over the ceiling of 30s for the qa role',
    });
    // A scaled scenario is judged by its peak VUs.
    await expect(
      qa().runs.launch({ scenario: 'load', params: { target: TARGET, vus: 3, duration: '10s' } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^vus: 3 VUs is over/) });
    expect(await snapshot()).toEqual(before);
  });

  it('gives admin its own, higher ceilings', async () => {
    const run = await admin().runs.launch(smoke({ vus: 3, duration: '1m' }));
    expect(run).toMatchObject({ state: 'queued', launchedBy: ADMIN.name });
    await expect(admin().runs.launch(smoke({ vus: 5 }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'vus: 5 VUs is over the ceiling of 4 for the admin role',
    });
  });

  it('offers each role the scenario limits within its ceilings', async () => {
    const limitsOf = async (caller: ReturnType<typeof qa>) =>
      (await caller.runs.catalogue()).scenarios.find((s) => s.name === 'smoke')?.limits;
    expect(await limitsOf(qa())).toEqual({ maxVus: 2, maxDuration: '30s' });
    expect(await limitsOf(admin())).toEqual({ maxVus: 4, maxDuration: '2m' });
  });
});

describe('the run queue', () => {
  it('answers 429 with Retry-After once the queue is full, and changes nothing', async () => {
    const cookie = await signInCookie(POST, QA.name, QA.password);
    const launch = () =>
      POST(
        new Request('http://dashboard/api/trpc/runs.launch', {
          method: 'POST',
          headers: { 'content-type': 'application/json', host: 'dashboard', 'x-trpc-source': 'test', cookie },
          body: JSON.stringify(smoke({})),
        }),
      );
    expect((await launch()).status).toBe(200); // runs
    expect((await launch()).status).toBe(200); // waits (RUN_QUEUE_MAX=1)
    const before = await snapshot();
    const refused = await launch();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(5);
    const body = (await refused.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(body.error.message).toMatch(/^the run queue is full \(1 runs waiting\): try again in about \d+ s/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('environment', () => {
  it('validates the ceilings at start, naming the variable', () => {
    expect(() => parseDashboardEnv({ RUN_MAX_VUS_QA: '0' })).toThrow(/RUN_MAX_VUS_QA: must be at least 1/);
    expect(() => parseDashboardEnv({ RUN_MAX_DURATION_ADMIN: '1 hour' })).toThrow(
      /RUN_MAX_DURATION_ADMIN: must be a k6 duration/,
    );
    expect(() => parseDashboardEnv({ RUN_QUEUE_MAX: '-1' })).toThrow(EnvError);
    const defaults = parseDashboardEnv({});
    expect(defaults).toMatchObject({
      RUN_QUEUE_MAX: 5,
      RUN_MAX_VUS_QA: 1000,
      RUN_MAX_DURATION_QA: '1h',
      RUN_MAX_VUS_ADMIN: 50_000,
      RUN_MAX_DURATION_ADMIN: '48h',
    });
  });
});
