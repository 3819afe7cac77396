// A k6 process that runs past its planned end is stopped and the run ends as failed with the reason,
// keeping what k6 reported before it was stopped. A negative overrun stands in for a hung k6.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLauncher, type Launcher } from '../src/launcher.ts';
import { hangDeadlineMs } from '../src/run-execution.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';

let dir: string;
let target: TestTarget;
let launcher: Launcher;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lt-hung-'));
  target = await startTestTarget();
  // Planned 8 s, allowed to run 5 s less: k6 is "hung" 3 s after it starts.
  launcher = createLauncher({
    targets: [target.url],
    runsDir: join(dir, 'runs'),
    timings: { overrunMs: -5_000 },
  });
});
afterAll(async () => {
  await launcher?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the hang deadline is the planned duration plus the larger of 2 min and a quarter of it', () => {
  const params = { vus: 1, target: 'http://127.0.0.1:8080' };
  expect(hangDeadlineMs({ ...params, duration: '30s' }, undefined)).toBe(150_000);
  expect(hangDeadlineMs({ ...params, duration: '1h' }, undefined)).toBe(4_500_000);
  expect(hangDeadlineMs({ ...params, duration: '10s' }, 500)).toBe(10_500);
});

test('a run past its planned end is stopped and ends failed with the reason and its partial result', async () => {
  const run = launcher.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '8s' } });
  const ended = await launcher.whenEnded(run.id);
  expect(ended.state).toBe('failed');
  if (ended.state !== 'failed') return;
  expect(ended.reason).toMatch(/^k6 hung: still running 3 s after it started/);
  expect(ended.endedAt - (ended.startedAt ?? 0)).toBeLessThan(8_000);
  expect(ended.result?.stats?.httpReqs ?? 0).toBeGreaterThan(0);
});
