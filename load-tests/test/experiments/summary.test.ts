import { describe, expect, it } from 'vitest';
import { parseExperimentDefinition } from '../../src/experiments/definition.ts';
import { experimentText, intervalText } from '../../src/experiments/experiment-text.ts';
import { interleavedOrder } from '../../src/experiments/interleave.ts';
import type { Experiment, ExperimentRun } from '../../src/experiments/model.ts';
import { runKpis } from '../../src/experiments/run-kpis.ts';
import { summariseExperiment } from '../../src/experiments/summary.ts';
import type { RunResult } from '../../src/run-state.ts';

const def = parseExperimentDefinition({
  name: 'known',
  scenario: 'smoke',
  params: { vus: 2, duration: '4s' },
  repeats: 3,
  variants: [
    { name: 'before', settings: { responseCache: false, tokenValidationCache: false } },
    { name: 'after', settings: { responseCache: true, tokenValidationCache: true } },
    { name: 'without-cache', settings: { responseCache: false, tokenValidationCache: true } },
  ],
  optimisations: [
    {
      name: 'Redis caching',
      settings: ['responseCache'],
      with: 'after',
      without: 'without-cache',
      claim: { kind: 'change', kpi: 'searchP95Ms', improvementPct: 70, text: 'Redis caching 70 %' },
    },
  ],
  comparison: { before: 'before', after: 'after', claimedBefore: 47, claimedAfter: 95 },
});

const result = (searchP95: number): RunResult => ({
  exitCode: 0,
  exitMeaning: 'ok',
  thresholdsPassed: true,
  thresholds: [],
  stats: {
    httpReqs: 100,
    reqRate: 20,
    errorRate: 0,
    checksRate: 1,
    p50Ms: 10,
    p90Ms: 20,
    p95Ms: searchP95,
    p99Ms: 40,
    maxMs: 50,
    iterations: 10,
    durationMs: 5000,
    dataReceived: 0,
    dataSent: 0,
  },
  perEndpoint: [
    { name: 'GET /api/cars', count: 40, p95Ms: searchP95 },
    { name: 'GET /api/auth/me', count: 0, p95Ms: null },
  ],
});

const SEARCH = { before: [100, 102, 98], after: [30, 31, 29], 'without-cache': [100, 101, 99] } as const;

function runs(): ExperimentRun[] {
  return interleavedOrder(['before', 'after', 'without-cache'], 3, 1).map((slot) => {
    const search = SEARCH[slot.variant as keyof typeof SEARCH][slot.round - 1] ?? 0;
    return {
      ...slot,
      runId: `run_${slot.index}`,
      state: 'finished',
      settings: {},
      kpis: runKpis(result(search), slot.variant === 'after' ? 0.9 : 0.5),
      scores: {
        overall: slot.variant === 'before' ? 40 + slot.round : 90 + slot.round,
        categories: { api: 80 },
      },
      startedAt: 1,
      endedAt: 2,
    };
  });
}

describe('summariseExperiment on known runs', () => {
  it("gives each variant its repeats' means, the optimisation's effect and verdict, and the scores beside the plan's", () => {
    const r = summariseExperiment(def, runs());
    const after = r.variants.find((v) => v.name === 'after');
    expect(after?.runs).toBe(3);
    expect(after?.kpis.searchP95Ms?.mean).toBe(30);
    expect(after?.kpis.cacheHitRate?.mean).toBe(0.9);
    // An endpoint without requests is no data, not 0.
    expect(after?.kpis.authP95Ms).toBeNull();
    const [cache] = r.optimisations;
    expect(cache?.kpi).toBe('searchP95Ms');
    expect(cache?.effect?.change).toBeCloseTo(-0.7, 10);
    expect(cache?.verdict).toBe('confirmed');
    expect(r.comparison?.before.overall?.mean).toBe(42);
    expect(r.comparison?.after).toMatchObject({ variant: 'after', claimed: 95, overall: { mean: 92 } });
  });

  it('counts finished runs only', () => {
    const some = runs().map((run) =>
      run.variant === 'after' && run.round === 3 ? { ...run, state: 'aborted' as const } : run,
    );
    const after = summariseExperiment(def, some).variants.find((v) => v.name === 'after');
    expect(after?.runs).toBe(2);
    expect(after?.kpis.searchP95Ms?.mean).toBe(30.5);
  });

  it('prints the tables: intervals, the effect against the claim, the verdict, the plan’s scores', () => {
    const experiment: Experiment = {
      id: 'exp_1',
      definition: def,
      target: 'http://127.0.0.1:8080',
      launchedBy: 'qa',
      state: 'finished',
      reason: null,
      order: interleavedOrder(['before', 'after', 'without-cache'], 3, 1),
      originalSettings: {},
      runs: runs(),
      warmupRunIds: [],
      result: summariseExperiment(def, runs()),
      createdAt: 0,
      endedAt: 1,
    };
    const text = experimentText(experiment);
    expect(text).toContain('experiment exp_1 (known): finished, 9 of 9 runs');
    expect(text).toContain('Redis caching: search p95 (GET /api/cars) 100 ±2.5 → 30.0 ±2.5, -70 % [');
    expect(text).toContain('claim: Redis caching 70 % → CONFIRMED');
    expect(text).toContain('overall score: before 42.0 ±2.5 (plan: 47), after 92.0 ±2.5 (plan: 95)');
    expect(intervalText(null)).toBe('-');
    expect(intervalText({ n: 1, mean: 0.5, sd: null, low: null, high: null }, 'share')).toBe('50.0%');
  });
});
