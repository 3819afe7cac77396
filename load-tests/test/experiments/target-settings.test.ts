import { describe, expect, it } from 'vitest';
import { cacheHitRate, parseCacheCounters, settingsOfState } from '../../src/experiments/target-settings.ts';

describe('settingsOfState', () => {
  it("takes /admin/optimisations' settings in force (current), not its start values, presets or notes", () => {
    const state = {
      current: { responseCache: false, bcryptCost: 12 },
      start: { responseCache: true, bcryptCost: 10 },
      presets: { 'before-plan': {} },
      notes: ['poolSize applies at once'],
      updatedAt: '2026-12-07T00:00:00Z',
    };
    expect(settingsOfState(state)).toEqual({ responseCache: false, bcryptCost: 12 });
  });

  it('takes a flat resource (chaos, rate limits) without its updatedAt', () => {
    expect(settingsOfState({ latencyMs: 5, routes: [], updatedAt: 'x' })).toEqual({
      latencyMs: 5,
      routes: [],
    });
  });
});

const METRICS = (
  l1Hits: number,
  l1Misses: number,
  l2Hits: number,
) => `# HELP cache_hits_total Cache hits by level
# TYPE cache_hits_total counter
cache_hits_total{level="l1",kind="search"} ${l1Hits - 1}
cache_hits_total{level="l1",kind="makes"} 1
cache_hits_total{level="l2",kind="search"} ${l2Hits}
cache_misses_total{level="l1",kind="search"} ${l1Misses}
cache_misses_total{level="l2",kind="search"} 7
cache_errors_total{kind="search",operation="get"} 3
`;

describe('the cache hit rate between two /metrics readings', () => {
  it('counts a lookup answered by either level as a hit, every lookup starting at L1', () => {
    const before = parseCacheCounters(METRICS(11, 20, 2));
    expect(before).toEqual({ l1Hits: 11, l1Misses: 20, l2Hits: 2 });
    const after = parseCacheCounters(METRICS(71, 60, 12));
    // 60 L1 hits + 10 L2 hits of 60 + 40 lookups
    expect(cacheHitRate(before, after)).toBeCloseTo(0.7, 10);
  });

  it('is null without lookups (the cache switched off)', () => {
    const same = parseCacheCounters(METRICS(5, 5, 0));
    expect(cacheHitRate(same, same)).toBeNull();
    expect(parseCacheCounters('')).toEqual({ l1Hits: 0, l1Misses: 0, l2Hits: 0 });
  });
});
