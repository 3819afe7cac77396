import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperimentYaml } from '../../src/experiments/definition.ts';
import { loadExperimentFile } from '../../src/experiments/experiment-file.ts';
import { OPTIMISATION_KEYS } from '../../src/experiments/settings.ts';

const PLAN = join(import.meta.dirname, '../../experiments/plan.yaml');
const dir = mkdtempSync(join(tmpdir(), 'exp-def-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TWO = `
name: tiny
scenario: smoke
params: { vus: 2, duration: 4s }
repeats: 2
settingsResource: /admin/chaos
variants:
  - { name: slow, settings: { latencyMs: 50 } }
  - { name: fast, settings: { latencyMs: 0 } }
`;

describe('the shipped plan.yaml', () => {
  it('validates: ten variants, every optimisation with vs without differing in its own settings only', async () => {
    const plan = await loadExperimentFile(PLAN);
    expect(plan.scenario).toBe('load');
    expect(plan.repeats).toBeGreaterThanOrEqual(3);
    expect(plan.warmupRuns).toBe(1);
    expect(plan.variants.map((v) => v.name)).toContain('before-plan');
    expect(plan.variants.map((v) => v.name)).toContain('after-plan');
    expect(plan.variants).toHaveLength(10);
    // Every switch is set by every variant (merge keys expanded), so no run inherits a leftover.
    for (const v of plan.variants)
      expect(Object.keys(v.settings).sort()).toEqual([...OPTIMISATION_KEYS].sort());
    expect(plan.optimisations).toHaveLength(8);
    expect(plan.comparison).toEqual({
      before: 'before-plan',
      after: 'after-plan',
      claimedBefore: 47,
      claimedAfter: 95,
    });
    const cache = plan.optimisations.find((o) => o.settings.includes('responseCache'));
    expect(cache?.claim).toMatchObject({ kind: 'change', kpi: 'searchP95Ms', improvementPct: 70 });
  });
});

describe('a bad definition', () => {
  const refused = (yaml: string) => {
    try {
      parseExperimentYaml(yaml, 'bad.yaml');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('was accepted');
  };

  it('is refused with one line naming the file and the field', () => {
    const message = refused(TWO.replace('repeats: 2', 'repeats: 1'));
    expect(message).toBe(
      'bad.yaml: repeats: must be at least 2 (an interval needs two runs; the plan wants 3)',
    );
    expect(message).not.toContain('\n');
  });

  it('names an unknown optimisation setting, a bad value and a bad scenario parameter', () => {
    const yaml = `
name: x
scenario: load
params: { vus: 0, duration: 75s }
variants:
  - { name: a, settings: { responseCache: true, turbo: true } }
  - { name: b, settings: { bcryptCost: 40 } }
`;
    const message = refused(yaml);
    expect(message).toContain('bad.yaml: ');
    expect(message).toContain('params.vus: must be at least 1');
    expect(message).toContain('variants.0.settings.turbo: is not an optimisation setting');
    expect(message).toContain('variants.1.settings.bcryptCost: must be at most 15');
  });

  it('refuses an optimisation whose with/without variants differ in other settings too', () => {
    const yaml = `${TWO}
  - { name: other, settings: { latencyMs: 0, errorRate: 0.5 } }
optimisations:
  - { name: latency, settings: [latencyMs], with: fast, without: slow }
  - { name: broken, settings: [latencyMs], with: other, without: slow }
  - { name: missing, settings: [latencyMs], with: nowhere, without: slow }
`;
    const message = refused(yaml);
    expect(message).toContain(
      'optimisations.1: "other" and "slow" also differ in errorRate: the rest must be equal',
    );
    expect(message).toContain('optimisations.2.with: no variant "nowhere"');
    expect(message).not.toContain('optimisations.0');
  });

  it('refuses a target in the file, a % claim on a share, unreadable YAML and a missing file', async () => {
    expect(refused(TWO.replace('duration: 4s', 'duration: 4s, target: "http://x"'))).toContain(
      'params.target: is not part of the file',
    );
    expect(
      refused(`${TWO}
optimisations:
  - name: n
    settings: [latencyMs]
    with: fast
    without: slow
    claim: { kind: change, kpi: errorRate, improvementPct: 50, text: fewer errors }
`),
    ).toContain('optimisations.0.claim.kpi: errorRate is a share');
    expect(refused('name: [unclosed')).toMatch(/^bad\.yaml: YAML: /);
    const missing = join(dir, 'nope.yaml');
    await expect(loadExperimentFile(missing)).rejects.toThrow(`${missing}: file: cannot be read (ENOENT)`);
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, TWO);
    expect((await loadExperimentFile(file)).variants).toHaveLength(2);
  });
});
