// Launcher behaviour that needs no k6 process: input validation and a missing binary.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { RunEvent } from '../src/events.ts';
import { createLauncher, newRunId } from '../src/launcher.ts';
import type { Run } from '../src/run-state.ts';
import { ParamValidationError } from '../src/scenarios.ts';

const runsDir = (): string => mkdtempSync(join(tmpdir(), 'lt-runs-'));

test('bad input is refused before anything happens', async () => {
  const recorded: Run[] = [];
  const launcher = createLauncher({
    targets: ['http://127.0.0.1:8080'],
    runsDir: runsDir(),
    recorder: { record: async (run) => void recorded.push(run) },
  });
  const events: RunEvent[] = [];
  launcher.subscribe((e) => events.push(e));
  expect(() => launcher.launch({ scenario: 'smoke', params: { target: 'http://example.com' } })).toThrow(
    ParamValidationError,
  );
  expect(() => launcher.launch({ scenario: 'nope', params: {} })).toThrow(/unknown scenario/);
  await launcher.close();
  expect(launcher.list()).toEqual([]);
  expect(events).toEqual([]);
  expect(recorded).toEqual([]);
});

test('a missing k6 fails the run with a reason, and the failure is recorded', async () => {
  const recorded: Run[] = [];
  const launcher = createLauncher({
    k6Path: join(runsDir(), 'no-k6-here'),
    targets: ['http://127.0.0.1:8080'],
    runsDir: runsDir(),
    recorder: { record: async (run) => void recorded.push(run) },
  });
  const run = launcher.launch({
    scenario: 'smoke',
    params: { target: 'http://127.0.0.1:8080' },
    launchedBy: 'qa',
  });
  expect(run.state).toBe('queued');
  const ended = await launcher.whenEnded(run.id);
  await launcher.close();
  expect(ended.state).toBe('failed');
  expect(ended.state === 'failed' && ended.reason).toContain('not an executable file');
  expect(recorded.map((r) => r.state)).toEqual(['queued', 'failed']);
});

test('a recorder that throws does not stop the run', async () => {
  const launcher = createLauncher({
    k6Path: join(runsDir(), 'no-k6-here'),
    targets: ['http://127.0.0.1:8080'],
    runsDir: runsDir(),
    recorder: { record: async () => Promise.reject(new Error('store down')) },
    logger: { warn: () => {}, error: () => {} },
  });
  const run = launcher.launch({ scenario: 'smoke', params: { target: 'http://127.0.0.1:8080' } });
  expect((await launcher.whenEnded(run.id)).state).toBe('failed');
  await launcher.close();
});

test('run ids are unique and sortable by time', () => {
  const ids = new Set(Array.from({ length: 100 }, () => newRunId(new Date('2026-11-22T12:00:00.123Z'))));
  expect(ids.size).toBe(100);
  expect([...ids][0]).toMatch(/^run_20261122T120000Z_[0-9a-f]{6}$/);
});

test('a run over the launcher’s ceilings is refused, naming the field and the ceiling; nothing happens', async () => {
  const recorded: Run[] = [];
  const launcher = createLauncher({
    targets: ['http://127.0.0.1:8080'],
    runsDir: runsDir(),
    recorder: { record: async (run) => void recorded.push(run) },
  });
  const events: RunEvent[] = [];
  launcher.subscribe((e) => events.push(e));
  const limits = { maxVus: 10, maxDuration: '5m', appliesTo: 'the qa role' };
  const launch = (params: Record<string, unknown>) =>
    launcher.launch({ scenario: 'smoke', params: { target: 'http://127.0.0.1:8080', ...params }, limits });
  expect(() => launch({ vus: 11 })).toThrow('vus: 11 VUs is over the ceiling of 10 for the qa role');
  expect(() => launch({ duration: '301s' })).toThrow(
    'duration: 301s is over the ceiling of 5m for the qa role',
  );
  // Scaled scenarios by their peak VUs (load: 10,000 at scale 1).
  expect(() =>
    launcher.launch({ scenario: 'load', params: { target: 'http://127.0.0.1:8080', scale: 0.002 }, limits }),
  ).toThrow(/^vus: 20 VUs is over the ceiling of 10/);
  await launcher.close();
  expect(launcher.list()).toEqual([]);
  expect(events).toEqual([]);
  expect(recorded).toEqual([]);
});
