import { describe, expect, it } from 'vitest';
import { SCORE_CATEGORIES } from '../../src/scores/config.ts';
import type { CategoryConfig } from '../../src/scores/model.ts';
import { buildScoreReport } from '../../src/scores/report.ts';

const kpi = (id: string, weight: number) =>
  ({
    id,
    name: id,
    query: { type: 'stat', metric: 'm', kind: 'gauge', stat: 'avg', service: 'target' },
    unit: 'ms',
    direction: 'lower-is-better',
    good: 100,
    poor: 200,
    weight,
  }) as const;
const categories: CategoryConfig[] = [
  { id: 'a', name: 'A', weight: 1, kpis: [kpi('a.1', 3), kpi('a.2', 1)] },
  { id: 'b', name: 'B', weight: 1, kpis: [kpi('b.1', 1)] },
  { id: 'c', name: 'C', weight: 2, kpis: [kpi('c.1', 1)] },
];
const window = { from: 0, to: 1 };

describe('buildScoreReport', () => {
  it('weights KPIs within a category and categories within the overall score', () => {
    const r = buildScoreReport(
      categories,
      new Map([
        ['a.1', 100],
        ['a.2', 200],
        ['b.1', 200],
        ['c.1', 100],
      ]),
      window,
    );
    const [a, b, c] = r.categories;
    expect(a?.score).toBeCloseTo((90 * 3 + 50) / 4);
    expect(b?.score).toBe(50);
    expect(c?.score).toBe(90);
    expect(r.overall).toBeCloseTo((a!.score! + b!.score! + 2 * 90) / 4);
    expect(r.band).toBe('average');
  });

  it('leaves a KPI without data out of the mean instead of counting it as 0 or 100', () => {
    const r = buildScoreReport(
      categories,
      new Map([
        ['a.1', 100],
        ['a.2', null],
      ]),
      window,
    );
    const a = r.categories[0]!;
    expect(a.score).toBe(90);
    expect(a.measured).toBe(1);
    expect(a.kpis.find((k) => k.id === 'a.2')).toMatchObject({ value: null, score: null, cost: null });
    // B and C have no data at all: left out of the overall score too.
    expect(r.categories[1]?.score).toBeNull();
    expect(r.categories[1]?.band).toBeNull();
    expect(r.overall).toBe(90);
  });

  it('has no overall score when nothing is measured', () => {
    const r = buildScoreReport(SCORE_CATEGORIES, new Map(), window);
    expect(r.overall).toBeNull();
    expect(r.band).toBeNull();
    expect(r.categories.every((c) => c.score === null)).toBe(true);
  });

  it('lists the costliest KPI first; the costs add up to what the category lost', () => {
    const r = buildScoreReport(
      categories,
      new Map([
        ['a.1', 150],
        ['a.2', 100],
      ]),
      window,
    );
    const a = r.categories[0]!;
    expect(a.kpis.map((k) => k.id)).toEqual(['a.1', 'a.2']);
    const lost = a.kpis.reduce((sum, k) => sum + (k.cost ?? 0), 0);
    expect(lost).toBeCloseTo(100 - a.score!);
    expect(a.kpis[0]!.cost).toBeGreaterThan(a.kpis[1]!.cost!);
  });
});

describe('the score configuration', () => {
  it("holds the plan's eight categories with well-formed control points", () => {
    expect(SCORE_CATEGORIES.map((c) => c.name)).toEqual([
      'API',
      'Database',
      'Real-time',
      'Authentication',
      'Storage',
      'Frontend',
      'Network',
      'Memory',
    ]);
    const ids = SCORE_CATEGORIES.flatMap((c) => c.kpis.map((k) => k.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const k of SCORE_CATEGORIES.flatMap((c) => c.kpis)) {
      const better = k.direction === 'lower-is-better' ? k.good < k.poor : k.good > k.poor;
      expect(better, `${k.id}: good must be better than poor`).toBe(true);
      expect(k.weight).toBeGreaterThan(0);
      if (k.unit === 'ratio') expect(k.good > 0 && k.good < 1 && k.poor > 0 && k.poor < 1).toBe(true);
    }
  });

  it("carries an estimated value's error bound, and none for exact values or no data", () => {
    const r = buildScoreReport(
      categories,
      new Map([
        ['a.1', 412],
        ['a.2', 150],
        ['b.1', null],
      ]),
      window,
      new Map([
        ['a.1', [400, 425]],
        ['b.1', [1, 2]],
      ]),
    );
    const kpis = r.categories.flatMap((c) => c.kpis);
    expect(kpis.find((k) => k.id === 'a.1')?.range).toEqual([400, 425]);
    expect(kpis.find((k) => k.id === 'a.2')?.range).toBeNull();
    expect(kpis.find((k) => k.id === 'b.1')?.range).toBeNull();
  });

  it("puts the plan's targets at 90 points", () => {
    const good = Object.fromEntries(SCORE_CATEGORIES.flatMap((c) => c.kpis.map((k) => [k.id, k.good])));
    expect(good).toMatchObject({
      'api.p95': 200,
      'api.errors': 0.001,
      'api.throughput': 1000,
      'storage.cache-hit': 0.8,
      'db.avg': 100,
      'db.pool': 0.6,
      'db.success': 0.999,
      'realtime.latency': 50,
      'realtime.stability': 0.99,
      'frontend.load': 2000,
      'frontend.fcp': 1000,
      'frontend.tti': 3000,
      'frontend.cls': 0.1,
      'memory.rss': 200,
    });
  });
});
