// A dashboard restart never leaves a run "running" forever: a new launcher on the same store ends
// the runs a previous launcher left active as `lost`, and leaves ended runs and its own alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLauncher, type Launcher } from '../src/launcher.ts';
import { createClickHouseRunRecorder, type RunRecorder } from '../src/recorder.ts';
import { LOST_REASON } from '../src/run-state.ts';
import { readRun } from '../src/run-store.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';

let dir: string;
let store: Store;
let target: TestTarget;
const launchers: Launcher[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lt-lost-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  target = await startTestTarget();
});
afterAll(async () => {
  for (const l of launchers) await l.close();
  await target?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const launcher = (recorder: RunRecorder) => {
  const l = createLauncher({ targets: [target.url], runsDir: join(dir, 'runs'), recorder });
  launchers.push(l);
  return l;
};

test('runs left active by a launcher that went away are marked lost by the next one', async () => {
  // The first "dashboard": its store writes stop when it "dies" (its process would be gone).
  let dead = false;
  const real = createClickHouseRunRecorder(store.client);
  const first = launcher({ record: (run) => (dead ? Promise.resolve() : real.record(run)) });
  const done = first.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '1s' } });
  expect((await first.whenEnded(done.id)).state).toBe('finished');
  const orphan = first.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '60s' } });
  const queued = first.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '1s' } });
  await expect.poll(() => first.get(orphan.id)?.state, { timeout: 20_000 }).toBe('running');
  await expect.poll(async () => (await readRun(store.client, orphan.id)).state).toBe('running');
  dead = true;

  const second = launcher(createClickHouseRunRecorder(store.client));
  const own = second.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '1s' } });
  expect((await second.reconciled).sort()).toEqual([orphan.id, queued.id].sort());

  const lost = await readRun(store.client, orphan.id);
  expect(lost.state).toBe('lost');
  expect(lost.reason).toBe(LOST_REASON);
  expect(lost.endedAt).toBeGreaterThanOrEqual(lost.startedAt!);
  expect((await readRun(store.client, queued.id)).state).toBe('lost');
  expect((await readRun(store.client, done.id)).state).toBe('finished');
  expect((await second.whenEnded(own.id)).state).toBe('finished');
  await second.close();
  expect((await readRun(store.client, own.id)).state).toBe('finished');

  // A third launcher finds nothing left to mark.
  expect(await launcher(createClickHouseRunRecorder(store.client)).reconciled).toEqual([]);
});
