// The shipped plan against the real target-app's /admin/optimisations: every variant's settings are
// taken (written, read back) and the settings found are put back — no run, so it takes a second.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadExperimentFile } from '../../src/experiments/experiment-file.ts';
import { preflightVariants } from '../../src/experiments/switch-settings.ts';
import { createTargetSettingsClient } from '../../src/experiments/target-settings.ts';
import { startTestTarget, TEST_ADMIN_TOKEN, type TestTarget } from '../helpers/test-target.ts';

let target: TestTarget;
beforeAll(async () => {
  target = await startTestTarget();
});
afterAll(() => target?.close());

const client = () =>
  createTargetSettingsClient({
    target: target.url,
    adminToken: TEST_ADMIN_TOKEN,
    resource: '/admin/optimisations',
  });

it('the real target takes every variant of plan.yaml, and is left as it was found', async () => {
  const plan = await loadExperimentFile(join(import.meta.dirname, '../../experiments/plan.yaml'));
  await client().write({ bcryptCost: 6 });
  const found = await client().read();
  await preflightVariants(plan, client(), found);
  expect(await client().read()).toEqual(found);
});

it('a variant the target refuses is named, and the settings found are put back', async () => {
  const plan = await loadExperimentFile(join(import.meta.dirname, '../../experiments/plan.yaml'));
  const found = await client().read();
  const broken = {
    ...plan,
    variants: [...plan.variants, { name: 'too-big-pool', settings: { poolSize: 100_000 } }],
  };
  await expect(preflightVariants(broken, client(), found)).rejects.toThrow(
    /^variant too-big-pool: PUT http:\/\/127\.0\.0\.1:\d+\/admin\/optimisations: 400 .*poolSize/,
  );
  expect(await client().read()).toEqual(found);
});
