// A tiny experiment end to end: the real target app (its /admin/chaos as the switched resource),
// real k6 runs through the launcher, runs and the experiment recorded in an embedded chDB store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentDefinition } from '../../src/experiments/definition.ts';
import {
  createClickHouseExperimentRecorder,
  experimentOfRun,
  findExperiment,
} from '../../src/experiments/experiment-store.ts';
import type { ExperimentEvent } from '../../src/experiments/model.ts';
import { runExperiment } from '../../src/experiments/runner.ts';
import { createTargetSettingsClient } from '../../src/experiments/target-settings.ts';
import { readRun } from '../../src/run-store.ts';
import { type StoreLoop, startStoreLoop } from '../helpers/store-loop.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/test-target.ts';

let loop: StoreLoop;
beforeAll(async () => {
  loop = await startStoreLoop();
}, 60_000);
afterAll(() => loop?.close());

const definition = () =>
  parseExperimentDefinition({
    name: 'tiny',
    scenario: 'smoke',
    params: { vus: 2, duration: '3s' },
    repeats: 2,
    seed: 3,
    settingsResource: '/admin/chaos',
    variants: [
      { name: 'slow', settings: { latencyMs: 40 } },
      { name: 'fast', settings: { latencyMs: 0 } },
    ],
    optimisations: [{ name: 'no added latency', settings: ['latencyMs'], with: 'fast', without: 'slow' }],
  });

const chaos = () =>
  createTargetSettingsClient({
    target: loop.target.url,
    adminToken: TEST_ADMIN_TOKEN,
    resource: '/admin/chaos',
  });

/** The target's chaos as set before the experiment: not the default, so a reset to it shows. */
const ORIGINAL = { slowQueryRate: 0.5, memoryLeakCapMb: 128 };

describe('runExperiment against the real target', () => {
  it('switches each run to its variant, interleaved, links the runs and puts the target back', async () => {
    await loop.setChaos(ORIGINAL);
    const launcher = loop.newLauncher();
    const events: ExperimentEvent[] = [];
    // What the target itself says while each run is running (read from its admin API, not the runner's record).
    const seenWhileRunning = new Map<string, unknown>();
    const reads: Promise<void>[] = [];
    // Someone else's run on the same launcher and target: the target is not switched under it.
    const other = launcher.launch({
      scenario: 'smoke',
      params: { vus: 1, duration: '2s', target: loop.target.url },
      launchedBy: 'someone',
    });
    const experiment = await runExperiment(parseExperimentDefinition({ ...definition(), warmupRuns: 1 }), {
      launcher,
      target: loop.target.url,
      settings: chaos(),
      recorder: createClickHouseExperimentRecorder(loop.store.client),
      launchedBy: 'qa',
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'run' && e.state === 'running')
          reads.push(
            chaos()
              .read()
              .then((s) => void seenWhileRunning.set(e.runId, s.latencyMs)),
          );
      },
    });
    await Promise.all(reads);
    expect(experiment.state, experiment.reason ?? '').toBe('finished');
    expect(events.find((e) => e.type === 'waiting')).toMatchObject({ runIds: [other.id] });
    const otherEnded = await launcher.whenEnded(other.id);
    expect(otherEnded.state).toBe('finished');
    expect(experiment.runs[0]?.startedAt).toBeGreaterThanOrEqual(otherEnded.endedAt);
    const order = experiment.runs.map((r) => r.variant);
    expect(order).toHaveLength(4);
    // Interleaved: both variants in each round, the round leaders differ (A B B A).
    expect(order[0]).not.toBe(order[1]);
    expect([order[2], order[3]]).toEqual([order[1], order[0]]);
    for (const run of experiment.runs) {
      const latency = run.variant === 'slow' ? 40 : 0;
      expect(run.state).toBe('finished');
      expect(run.settings.latencyMs).toBe(latency);
      // Every variant starts from the original settings: what it leaves out stays the original's.
      expect(run.settings.slowQueryRate).toBe(0.5);
      expect(seenWhileRunning.get(run.runId)).toBe(latency);
      expect(run.kpis.p95Ms).toBeGreaterThan(0);
      // The target's own cache counters over the run (its /metrics): smoke's browsing looks things up.
      expect(run.kpis.cacheHitRate).toBeGreaterThanOrEqual(0);
      expect(run.kpis.cacheHitRate).toBeLessThanOrEqual(1);
      const stored = await readRun(loop.store.client, run.runId);
      expect(stored.launchedBy).toBe('qa');
      expect((await experimentOfRun(loop.store.client, run.runId))?.id).toBe(experiment.id);
    }
    // 40 ms added to every request: the slow runs' p95 is above the fast ones'.
    const [fastEffect] = experiment.result!.optimisations;
    expect(fastEffect?.effect?.improvement).toBeGreaterThan(0);
    const reset = await chaos().read();
    expect(reset).toMatchObject({ ...ORIGINAL, latencyMs: 0 });
    expect(events.at(-2)).toMatchObject({ type: 'reset' });
    // One warm-up run first, with the first slot's settings: linked, not counted.
    const [warmup] = experiment.warmupRunIds;
    expect(experiment.warmupRunIds).toHaveLength(1);
    expect(experiment.runs.map((r) => r.runId)).not.toContain(warmup);
    expect(seenWhileRunning.get(warmup!)).toBe(order[0] === 'slow' ? 40 : 0);
    expect((await experimentOfRun(loop.store.client, warmup!))?.id).toBe(experiment.id);
    const stored = await findExperiment(loop.store.client, experiment.id);
    expect(stored?.state).toBe('finished');
    expect(stored?.warmupRunIds).toEqual([warmup]);
    expect(stored?.runs.map((r) => r.runId)).toEqual(experiment.runs.map((r) => r.runId));
    expect(stored?.result?.variants.map((v) => v.runs)).toEqual([2, 2]);
  }, 90_000);

  it('stopped during a run: that run is stopped, no other starts, the target is put back', async () => {
    await loop.setChaos(ORIGINAL);
    const launcher = loop.newLauncher();
    const stop = new AbortController();
    const def = { ...definition(), params: { vus: 2, duration: '30s' } };
    let switchedTo: unknown;
    const experiment = await runExperiment(def, {
      launcher,
      target: loop.target.url,
      settings: chaos(),
      recorder: createClickHouseExperimentRecorder(loop.store.client),
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'run' && e.state === 'running')
          void chaos()
            .read()
            .then((s) => {
              switchedTo = s.latencyMs;
              stop.abort();
            });
      },
    });
    expect(experiment.state).toBe('stopped');
    expect(experiment.runs).toHaveLength(1);
    expect(experiment.runs[0]?.state).toBe('aborted');
    expect(launcher.list()).toHaveLength(1);
    // It was switched (the first variant's latency was in force while it ran) and is back now.
    expect(switchedTo).toBe(experiment.runs[0]?.variant === 'slow' ? 40 : 0);
    expect(await chaos().read()).toMatchObject({ ...ORIGINAL, latencyMs: 0 });
    expect((await findExperiment(loop.store.client, experiment.id))?.state).toBe('stopped');
  }, 90_000);

  it('stopped after its first run: no further run, the target is put back', async () => {
    await loop.setChaos(ORIGINAL);
    const launcher = loop.newLauncher();
    const stop = new AbortController();
    const experiment = await runExperiment(definition(), {
      launcher,
      target: loop.target.url,
      settings: chaos(),
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'run' && e.slot.index === 0 && e.state === 'finished') stop.abort();
      },
    });
    expect(experiment.state).toBe('stopped');
    expect(experiment.reason).toBe('stopped after 1 of 4 runs');
    expect(experiment.runs.map((r) => r.state)).toEqual(['finished']);
    expect(launcher.list()).toHaveLength(1);
    expect(await chaos().read()).toMatchObject({ ...ORIGINAL, latencyMs: 0 });
  }, 90_000);

  it('refuses settings the target does not take: fails, runs nothing, changes nothing', async () => {
    await loop.setChaos(ORIGINAL);
    const launcher = loop.newLauncher();
    const def = parseExperimentDefinition({
      ...definition(),
      variants: [
        { name: 'a', settings: { latencyMs: 10 } },
        { name: 'b', settings: { latencyMs: 'lots' } },
      ],
      optimisations: [],
      seed: 1,
    });
    const experiment = await runExperiment(def, { launcher, target: loop.target.url, settings: chaos() });
    expect(experiment.state).toBe('failed');
    expect(experiment.reason).toMatch(
      /^variant b: PUT http:\/\/127\.0\.0\.1:\d+\/admin\/chaos: 400 .*latencyMs/,
    );
    expect(experiment.runs).toEqual([]);
    expect(launcher.list()).toEqual([]);
    expect(await chaos().read()).toMatchObject({ ...ORIGINAL, latencyMs: 0 });
  }, 90_000);

  it("switches the target's /admin/optimisations (the plan's switches) and puts them back", async () => {
    const optimisations = createTargetSettingsClient({
      target: loop.target.url,
      adminToken: TEST_ADMIN_TOKEN,
      resource: '/admin/optimisations',
    });
    // Not the start values, so the reset is seen to go back to what was read, not to the defaults.
    await optimisations.write({ bcryptCost: 5 });
    const original = await optimisations.read();
    const launcher = loop.newLauncher();
    const def = parseExperimentDefinition({
      ...definition(),
      settingsResource: '/admin/optimisations',
      variants: [
        { name: 'cache-off', settings: { responseCache: false } },
        { name: 'cache-on', settings: { responseCache: true } },
      ],
      optimisations: [
        { name: 'response cache', settings: ['responseCache'], with: 'cache-on', without: 'cache-off' },
      ],
    });
    const seen = new Map<string, unknown>();
    const reads: Promise<void>[] = [];
    const experiment = await runExperiment(def, {
      launcher,
      target: loop.target.url,
      settings: optimisations,
      onEvent: (e) => {
        if (e.type === 'run' && e.state === 'running')
          reads.push(optimisations.read().then((s) => void seen.set(e.runId, s.responseCache)));
      },
    });
    await Promise.all(reads);
    expect(experiment.state, experiment.reason ?? '').toBe('finished');
    expect(experiment.originalSettings).toEqual(original);
    for (const run of experiment.runs) {
      const on = run.variant === 'cache-on';
      expect(seen.get(run.runId)).toBe(on);
      expect(run.settings).toEqual({ ...original, responseCache: on });
      // Switched off, the response cache is not consulted at all: no lookups, no hit rate.
      if (on) expect(run.kpis.cacheHitRate).toBeGreaterThan(0);
      else expect(run.kpis.cacheHitRate ?? 0).toBe(0);
    }
    expect(await optimisations.read()).toEqual(original);
    await optimisations.write({ bcryptCost: 4 });
  }, 90_000);
});
