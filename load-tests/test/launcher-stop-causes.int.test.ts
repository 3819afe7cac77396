// Why a run ended, when we ended it: a launcher that shuts down records "shut down" (not "stopped
// by user"), and runs aimed at a target that died end as failed with the target's exit as the
// reason — queued and running alike, while runs at other targets go on. Real k6.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLauncher } from '../src/launcher.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';
import { waitFor } from './helpers/wait.ts';

let target: TestTarget;
let other: TestTarget;
let dir: string;

beforeAll(async () => {
  [target, other] = await Promise.all([startTestTarget(), startTestTarget()]);
  dir = mkdtempSync(join(tmpdir(), 'lt-stop-causes-'));
});
afterAll(async () => {
  await Promise.all([target?.close(), other?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

test('a shutdown ends running and queued runs as aborted, "shut down"', async () => {
  const launcher = createLauncher({
    targets: [target.url],
    runsDir: join(dir, 'shutdown'),
    maxConcurrent: 1,
  });
  const running = launcher.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 1, duration: '30s' },
  });
  const queued = launcher.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 1, duration: '30s' },
  });
  await waitFor('the first run running', () => launcher.get(running.id)?.state === 'running');
  await launcher.close();
  for (const id of [running.id, queued.id])
    expect(launcher.get(id)).toMatchObject({ state: 'aborted', reason: 'shut down' });
});

test('runs aimed at a target that died end failed with its exit as the reason; others go on', async () => {
  const launcher = createLauncher({
    targets: [target.url, other.url],
    runsDir: join(dir, 'target-died'),
    maxConcurrent: 2,
  });
  const aimed = launcher.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 1, duration: '30s' },
  });
  const elsewhere = launcher.launch({
    scenario: 'smoke',
    params: { target: other.url, vus: 1, duration: '30s' },
  });
  const waiting = launcher.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 1, duration: '30s' },
  });
  await waitFor('the aimed run running', () => launcher.get(aimed.id)?.state === 'running');
  await waitFor('the other run running', () => launcher.get(elsewhere.id)?.state === 'running');

  const cause = { state: 'failed', reason: 'target exited: SIGKILL' } as const;
  const ended = launcher.endRunsAgainst(target.url, cause);
  expect(ended.map((r) => r.id).sort()).toEqual([aimed.id, waiting.id].sort());
  expect(await launcher.whenEnded(aimed.id)).toMatchObject(cause);
  expect(launcher.get(waiting.id)).toMatchObject(cause);
  expect(launcher.get(elsewhere.id)?.state).toBe('running');
  await launcher.stop(elsewhere.id);
  await launcher.close();
});
