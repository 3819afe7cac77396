// An experiment whose process died mid-way: its record says running and its target is still
// switched. Recovery (what the dashboard runs at start) puts the target back and ends the record.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseExperimentDefinition } from '../../src/experiments/definition.ts';
import {
  INTERRUPTED_REASON,
  recoverInterruptedExperiments,
} from '../../src/experiments/experiment-recovery.ts';
import {
  createClickHouseExperimentRecorder,
  findExperiment,
} from '../../src/experiments/experiment-store.ts';
import { interleavedOrder } from '../../src/experiments/interleave.ts';
import type { Experiment } from '../../src/experiments/model.ts';
import { createTargetSettingsClient } from '../../src/experiments/target-settings.ts';
import { type StoreLoop, startStoreLoop } from '../helpers/store-loop.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/test-target.ts';

let loop: StoreLoop;
beforeAll(async () => {
  loop = await startStoreLoop();
}, 60_000);
afterAll(() => loop?.close());

const definition = parseExperimentDefinition({
  name: 'interrupted',
  scenario: 'smoke',
  params: { vus: 2, duration: '3s' },
  repeats: 2,
  settingsResource: '/admin/chaos',
  variants: [
    { name: 'slow', settings: { latencyMs: 40 } },
    { name: 'fast', settings: { latencyMs: 0 } },
  ],
});

it('puts the target of an experiment left running back and ends it as failed; a finished one is left alone', async () => {
  const settingsFor = (target: string, resource: string) =>
    createTargetSettingsClient({ target, adminToken: TEST_ADMIN_TOKEN, resource });
  const chaos = settingsFor(loop.target.url, '/admin/chaos');
  await loop.setChaos({ slowQueryRate: 0.25 });
  const original = await chaos.read();
  const recorder = createClickHouseExperimentRecorder(loop.store.client);
  const base: Experiment = {
    id: 'exp_interrupted',
    definition,
    target: loop.target.url,
    launchedBy: 'qa',
    state: 'running',
    reason: null,
    order: interleavedOrder(['slow', 'fast'], 2, 1),
    originalSettings: original,
    runs: [],
    warmupRunIds: [],
    result: null,
    createdAt: Date.now(),
    endedAt: null,
  };
  await recorder.record(base);
  await recorder.record({ ...base, id: 'exp_done', state: 'finished', endedAt: Date.now() });
  // The dead process had switched the target to its first variant.
  await chaos.write({ ...original, latencyMs: 40 });

  const ended = await recoverInterruptedExperiments(loop.store.client, recorder, settingsFor);
  expect(ended.map((e) => e.id)).toEqual(['exp_interrupted']);
  expect(await chaos.read()).toEqual(original);
  const stored = await findExperiment(loop.store.client, 'exp_interrupted');
  expect(stored?.state).toBe('failed');
  expect(stored?.reason).toBe(`${INTERRUPTED_REASON}; its target's settings were put back`);
  expect((await findExperiment(loop.store.client, 'exp_done'))?.state).toBe('finished');
  // Nothing left running: a second start changes nothing.
  expect(await recoverInterruptedExperiments(loop.store.client, recorder, settingsFor)).toEqual([]);
}, 90_000);
