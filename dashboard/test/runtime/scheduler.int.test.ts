// The scheduler over the real store (chDB) and a real launcher, with fixed clocks: a schedule
// outlives its scheduler (cp_schedules); a due time found 90 minutes late at start is skipped and
// shown as missed, with nothing launched; a pause is not made up on resume; a run the launcher
// refuses is recorded as refused; parameters over the creator's ceiling create nothing; with replicas
// sharing a Redis lock (the test Redis), only the lock's holder launches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvaluatorLock } from 'alert-rules';
import { createStore, type Store } from 'collector';
import { createLauncher, type Launcher } from 'load-tests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '../../src/runtime/scheduler/scheduler.ts';

const TARGET = 'http://127.0.0.1:9';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:56379';
const at = (iso: string) => Date.parse(iso);
let dir: string;
let store: Store;
const open: { launcher: Launcher; scheduler: Scheduler }[] = [];

/** A scheduler (and its launcher) whose clock reads `clock`, as a dashboard started at that time. */
async function startAt(
  clock: string,
  targets = [TARGET],
  lockKey?: string,
): Promise<{ scheduler: Scheduler; launcher: Launcher }> {
  const launcher = createLauncher({ targets, runsDir: join(dir, 'runs') });
  const scheduler = createScheduler({
    client: store.client,
    launcher,
    targets,
    runLimits: { qa: { maxVus: 10, maxDuration: '1h' }, admin: { maxVus: 100, maxDuration: '2h' } },
    serverService: 'target-app',
    externalUrl: 'http://127.0.0.1:3000',
    now: () => at(clock),
    lock: lockKey
      ? createEvaluatorLock({ url: REDIS_URL, key: lockKey, ttlMs: 30_000, log: () => {} })
      : null,
    log: () => {},
  });
  await scheduler.start();
  open.push({ launcher, scheduler });
  return { scheduler, launcher };
}

async function stopAll() {
  for (const { scheduler, launcher } of open.splice(0)) {
    await scheduler.stop();
    await launcher.close();
  }
}

const daily = {
  name: 'nightly',
  scenario: 'smoke',
  params: { vus: 1, duration: '10s' },
  cron: '0 9 * * *',
  timeZone: 'Europe/Berlin',
  notifyFormat: 'webhook' as const,
};
const qa = { name: 'quinn', role: 'qa' as const };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scheduler-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
}, 60_000);

afterAll(async () => {
  await stopAll();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the scheduler over the store', () => {
  it('skips a due time found more than an hour late at start, shows it missed, launches nothing', async () => {
    const first = await startAt('2026-01-01T06:00:00Z');
    const created = await first.scheduler.create(daily, qa);
    // 09:00 in Berlin is 08:00 UTC in winter.
    expect(created).toMatchObject({ nextRunAt: at('2026-01-01T08:00:00Z'), last: null, paused: false });
    expect(created.params).toEqual({ vus: 1, duration: '10s', target: TARGET });
    await stopAll();

    const late = await startAt('2026-01-01T09:30:00Z');
    const [s] = await late.scheduler.list();
    expect(s?.last).toEqual({
      type: 'missed',
      dueAt: at('2026-01-01T08:00:00Z'),
      reason: 'missed: due 2026-01-01T08:00:00.000Z, 5400 s before the dashboard could run it (grace 3600 s)',
    });
    expect(s?.lastRun).toBeNull();
    expect(s?.nextRunAt).toBe(at('2026-01-02T08:00:00Z'));
    expect(late.launcher.list()).toHaveLength(0);
    await stopAll();

    // Recorded, not recomputed: a later start still shows it, and does not skip it twice.
    const later = await startAt('2026-01-01T12:00:00Z');
    expect((await later.scheduler.list())[0]?.last?.type).toBe('missed');
    expect(later.launcher.list()).toHaveLength(0);
    await later.scheduler.remove(created.id);
    expect(await later.scheduler.list()).toEqual([]);
    await stopAll();
  }, 60_000);

  it('does not make up due times that passed while paused', async () => {
    const first = await startAt('2026-02-01T06:00:00Z');
    const { id } = await first.scheduler.create(daily, qa);
    expect((await first.scheduler.setPaused(id, true)).nextRunAt).toBeNull();
    await stopAll();

    const back = await startAt('2026-02-01T08:30:00Z');
    expect((await back.scheduler.list())[0]).toMatchObject({ paused: true, last: null });
    const resumed = await back.scheduler.setPaused(id, false);
    expect(resumed).toMatchObject({ paused: false, last: null, nextRunAt: at('2026-02-02T08:00:00Z') });
    expect(back.launcher.list()).toHaveLength(0);
    await back.scheduler.remove(id);
    await stopAll();
  }, 60_000);

  it('records a run the launcher refuses, and refuses parameters over the creator’s ceiling', async () => {
    const first = await startAt('2026-03-01T06:00:00Z');
    await expect(
      first.scheduler.create({ ...daily, params: { vus: 11, duration: '10s' } }, qa),
    ).rejects.toThrow('vus: 11 VUs is over the ceiling of 10 for the qa role');
    expect(await first.scheduler.list()).toEqual([]);
    const { id } = await first.scheduler.create(daily, qa);
    await stopAll();

    // The allowlist changed while the dashboard was down: the due time (30 min ago) is handled, not launched.
    const moved = await startAt('2026-03-01T08:30:00Z', ['http://127.0.0.1:8080']);
    const [s] = await moved.scheduler.list();
    expect(s?.id).toBe(id);
    expect(s?.last?.type).toBe('refused');
    expect(s?.last && 'reason' in s.last ? s.last.reason : '').toMatch(/^not launched: target/);
    expect(moved.launcher.list()).toHaveLength(0);
    await moved.scheduler.remove(id);
    await stopAll();
  }, 60_000);

  it('with replicas sharing a Redis lock, only its holder launches a due time', async () => {
    const key = `scheduler-test-${Date.now()}`;
    const first = await startAt('2026-04-01T06:00:00Z');
    const { id } = await first.scheduler.create(daily, qa);
    await stopAll();

    // Replica A came up before the due time (07:00 UTC: Berlin is on summer time) and holds the
    // lock; replica B comes up after it and finds the schedule due, but stands by.
    const a = await startAt('2026-04-01T06:30:00Z', [TARGET], key);
    const b = await startAt('2026-04-01T07:30:00Z', [TARGET], key);
    expect(b.launcher.list()).toHaveLength(0);
    expect((await b.scheduler.list())[0]?.last).toBeNull();
    // A goes away (its lock with it): the next replica launches the due time, tagged with the schedule
    // (k6 against a closed port: the run itself fails, which does not matter here).
    await a.scheduler.stop();
    const c = await startAt('2026-04-01T07:30:00Z', [TARGET], key);
    expect(c.launcher.list().map((r) => r.launchedBy)).toEqual([`schedule:${id}`]);
    expect((await b.scheduler.list())[0]?.last).toMatchObject({
      type: 'launched',
      runId: c.launcher.list()[0]?.id,
    });
    await stopAll();
  }, 60_000);
});
