// What a launch resolves to: the shipped plan with bounded overrides (a variant subset takes its
// optimisations and comparison along), inline definitions checked whole, /admin/chaos for admins
// only, and each run within the role's ceilings — refusals as values naming the field.
import { type ExperimentDefinition, loadExperimentFile } from 'load-tests';
import { describe, expect, it } from 'vitest';
import { experimentLaunchSchema } from '../../../src/lib/experiment-input.ts';
import { SHIPPED_PLAN_FILE } from '../../../src/runtime/experiments/experiment-host.ts';
import { checkRunParams, definitionOf } from '../../../src/runtime/experiments/launch-definition.ts';

const shipped = () => loadExperimentFile(SHIPPED_PLAN_FILE).then((p) => [p]);
const target = { url: 'http://127.0.0.1:8080', allowed: ['http://127.0.0.1:8080'] };
const asDef = (x: ExperimentDefinition | { ok: false }) => {
  if ('ok' in x) throw new Error(`refused: ${JSON.stringify(x)}`);
  return x;
};

describe('launch definitions', () => {
  it('cuts the shipped plan down: variants, repeats, duration, VUs', async () => {
    const def = asDef(
      await definitionOf(
        {
          overrides: {
            repeats: 2,
            duration: '20s',
            vus: 4,
            warmupRuns: 0,
            variants: ['after-plan', 'without-response-cache'],
          },
          role: 'qa',
        },
        shipped,
      ),
    );
    expect(def.name).toBe('plan-optimisations');
    expect(def.variants.map((v) => v.name)).toEqual(['after-plan', 'without-response-cache']);
    expect(def.optimisations.map((o) => o.name)).toEqual(['Redis caching (response cache)']);
    expect(def.comparison).toBeUndefined();
    expect(def).toMatchObject({ repeats: 2, warmupRuns: 0, params: { vus: 4, duration: '20s' } });
  });

  it('refuses an unknown plan or variant and a bad inline definition, naming the field', async () => {
    expect(await definitionOf({ plan: 'nope', overrides: {}, role: 'qa' }, shipped)).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringContaining('no plan "nope"'),
    });
    expect(
      await definitionOf({ overrides: { variants: ['after-plan', 'warp'] }, role: 'qa' }, shipped),
    ).toMatchObject({ ok: false, message: expect.stringContaining('no variant "warp"') });
    const bad = await definitionOf(
      { definition: { name: 'x', scenario: 'smoke', variants: [] }, overrides: {}, role: 'admin' },
      shipped,
    );
    expect(bad).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringContaining('variants'),
    });
  });

  it('lets only admins switch another admin resource', async () => {
    const chaos = {
      name: 'chaos-pair',
      scenario: 'smoke',
      params: { vus: 2, duration: '3s' },
      settingsResource: '/admin/chaos',
      variants: [
        { name: 'calm', settings: { latencyMs: 0 } },
        { name: 'slow', settings: { latencyMs: 50 } },
      ],
    };
    expect(await definitionOf({ definition: chaos, overrides: {}, role: 'qa' }, shipped)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(asDef(await definitionOf({ definition: chaos, overrides: {}, role: 'admin' }, shipped)).name).toBe(
      'chaos-pair',
    );
  });

  it("keeps each run within the role's ceilings", async () => {
    const def = asDef(await definitionOf({ overrides: { vus: 60, duration: '2m' }, role: 'qa' }, shipped));
    const limits = { maxVus: 50, maxDuration: '1m', appliesTo: 'the qa role' };
    expect(checkRunParams(def, limits, target)?.message).toBe(
      'vus: 60 is over the ceiling of 50 for the qa role',
    );
    expect(checkRunParams({ ...def, params: { vus: 5, duration: '2m' } }, limits, target)?.message).toBe(
      'duration: 2m is over the ceiling of 1m for the qa role',
    );
    expect(checkRunParams({ ...def, params: { vus: 5, duration: '30s' } }, limits, target)).toBeNull();
  });

  it('bounds the overrides at the edge', () => {
    expect(experimentLaunchSchema.safeParse({ overrides: { repeats: 11 } }).success).toBe(false);
    expect(experimentLaunchSchema.safeParse({ overrides: { duration: 'soon' } }).success).toBe(false);
    expect(experimentLaunchSchema.safeParse({ overrides: { variants: ['one'] } }).success).toBe(false);
    expect(experimentLaunchSchema.safeParse({ overrides: { repeats: 3, duration: '45s' } }).success).toBe(
      true,
    );
  });
});
