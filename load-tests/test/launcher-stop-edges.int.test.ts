// Stopping a run at its awkward moments, with a real k6: while it is still starting (k6 spawned,
// its REST API not up yet, so only a signal reaches it), and when k6 is wedged and ignores both the
// REST stop and SIGTERM — then the launcher must escalate to SIGKILL, and the run must still end.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLauncher } from '../src/launcher.ts';
import type { EndedRun, Run } from '../src/run-state.ts';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';
import { waitFor } from './helpers/wait.ts';

let target: TestTarget;
let dir: string;
/** k6 processes this file froze: thawed and killed at the end whatever happened. */
const frozen: number[] = [];

beforeAll(async () => {
  target = await startTestTarget();
  dir = mkdtempSync(join(tmpdir(), 'lt-stop-edges-'));
});
afterAll(async () => {
  for (const pid of frozen) {
    for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  }
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The pids of live k6 processes of this run (its id is in k6's --tag run_id=… argument). */
function k6PidsOf(runId: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        return cmdline.includes(`run_id=${runId}`) && state !== 'Z';
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

/** The run's end, or a failure naming the run's state if it has not ended within `ms`. */
async function endedWithin(launcher: ReturnType<typeof createLauncher>, id: string, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`run still ${launcher.get(id)?.state} ${ms} ms after the stop`)),
      ms,
    );
  });
  try {
    return await Promise.race([launcher.whenEnded(id), late]);
  } finally {
    clearTimeout(timer);
  }
}

test('a stop while the run is still starting ends it aborted at once, with no k6 left behind', async () => {
  const launcher = createLauncher({ targets: [target.url], runsDir: join(dir, 'starting') });
  const states: Run['state'][] = [];
  let stopAsked: number | undefined;
  launcher.subscribe((event) => {
    if (event.type !== 'state') return;
    states.push(event.run.state);
    // The next turn of the event loop: k6 has just been spawned and is initialising, its REST API not up.
    if (event.run.state === 'starting')
      setImmediate(() => {
        stopAsked = Date.now();
        void launcher.stop(event.run.id);
      });
  });
  const run = launcher.launch({ scenario: 'smoke', params: { target: target.url, vus: 2, duration: '30s' } });
  // "Stops within seconds" is the feature: a 30 s run stopped at its start must not run on.
  const ended = await endedWithin(launcher, run.id, 15_000);
  await launcher.close();

  expect(states).toEqual(['queued', 'starting', 'stopping', 'aborted']);
  if (ended.state !== 'aborted') throw new Error(`run ended ${ended.state}: ${JSON.stringify(ended)}`);
  expect(ended.reason).toBe('stopped by user');
  expect(ended.endedAt - (stopAsked ?? 0)).toBeLessThan(15_000);
  // k6 left because it was told to: through its REST API if that was up already (103), else on the
  // SIGTERM sent instead (105 once its signal handler is in, killed by it before) — never by running out.
  const exit = ended.result;
  const told = exit?.exitCode === 103 || exit?.exitCode === 105 || exit?.signal === 'SIGTERM';
  expect(told, JSON.stringify(exit)).toBe(true);
  expect(exit?.stats?.durationMs ?? 0).toBeLessThan(15_000);
  expect(k6PidsOf(run.id)).toEqual([]);
});

test('a stop asked while the launcher announces the start (before k6 is spawned) is not lost', async () => {
  const launcher = createLauncher({ targets: [target.url], runsDir: join(dir, 'announced') });
  const states: Run['state'][] = [];
  launcher.subscribe((event) => {
    if (event.type !== 'state') return;
    states.push(event.run.state);
    // Synchronously, inside the "starting" event: k6 is not spawned yet.
    if (event.run.state === 'starting') void launcher.stop(event.run.id);
  });
  const run = launcher.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '30s' } });
  const ended = await endedWithin(launcher, run.id, 15_000);
  await launcher.close();
  expect(states).toEqual(['queued', 'starting', 'stopping', 'aborted']);
  expect(ended.state === 'aborted' && ended.reason).toBe('stopped by user');
  expect(k6PidsOf(run.id)).toEqual([]);
});

test('a wedged k6 that ignores the REST stop and SIGTERM is killed with SIGKILL, and the run ends aborted', async () => {
  const warnings: string[] = [];
  const launcher = createLauncher({
    targets: [target.url],
    runsDir: join(dir, 'wedged'),
    timings: { stopTimeoutMs: 1000, killTimeoutMs: 1000 },
    logger: { warn: (message: string) => void warnings.push(message), error: () => undefined },
  });
  const run = launcher.launch({ scenario: 'smoke', params: { target: target.url, vus: 1, duration: '60s' } });
  await waitFor('the run to run', () => launcher.get(run.id)?.state === 'running');
  const [pid] = await waitFor('its k6 process', () => {
    const pids = k6PidsOf(run.id);
    return pids.length === 1 ? pids : undefined;
  });
  if (pid === undefined) throw new Error('no k6 pid');
  // Frozen, k6 answers nothing: the REST stop times out and SIGTERM stays pending. Only SIGKILL ends it.
  frozen.push(pid);
  process.kill(pid, 'SIGSTOP');

  const asked = Date.now();
  void launcher.stop(run.id);
  // REST stop (≤ 2 s timeout) + 1 s → SIGTERM, + 1 s → SIGKILL; a wedged k6 would otherwise run 60 s.
  const ended: EndedRun = await endedWithin(launcher, run.id, 20_000);
  const tookMs = Date.now() - asked;
  await launcher.close();

  if (ended.state !== 'aborted') throw new Error(`run ended ${ended.state}: ${JSON.stringify(ended)}`);
  expect(ended.reason).toBe('stopped by user');
  expect(ended.result).toMatchObject({ exitCode: null, signal: 'SIGKILL', exitMeaning: 'killed by SIGKILL' });
  expect(warnings.findIndex((w) => w.includes('sending SIGTERM'))).toBeGreaterThanOrEqual(0);
  expect(warnings.findIndex((w) => w.includes('sending SIGKILL'))).toBeGreaterThan(
    warnings.findIndex((w) => w.includes('sending SIGTERM')),
  );
  // Not before the two grace periods: SIGKILL is the last resort, after SIGTERM had its second.
  expect(tookMs).toBeGreaterThanOrEqual(2000);
  expect(k6PidsOf(run.id)).toEqual([]);
});
