// How a comparison reads: the arrow follows the direction, the colour follows worse/better for the
// figure (a throughput drop is ▼ and red, a latency drop ▼ and green), rows below the minimum sample
// count say why they are not judged, and compare links keep the run's scenario.
import type { Change, Delta, EndpointDelta } from 'load-tests';
import { describe, expect, it } from 'vitest';
import { changeMarker, changeText, compareHref, judgeNote, verdictText } from '../../src/lib/compare-view.ts';

const delta = (
  base: number | null,
  candidate: number | null,
  significant: boolean,
  regression: boolean,
): Delta => ({
  base,
  candidate,
  deltaPct: base && candidate !== null ? ((candidate - base) / base) * 100 : null,
  significant,
  regression,
});

describe('changeMarker', () => {
  it('draws a throughput drop as a fall that is worse, not as a rise', () => {
    expect(changeMarker('ratePerSec', delta(50, 35, true, true))).toEqual({
      arrow: '▼',
      tone: 'worse',
      words: 'fewer req/s',
    });
  });

  it('draws slower latency as a rise that is worse, faster as a fall that is better', () => {
    expect(changeMarker('p95Ms', delta(100, 400, true, true))).toEqual({
      arrow: '▲',
      tone: 'worse',
      words: 'slower',
    });
    expect(changeMarker('p95Ms', delta(100, 50, true, false))).toEqual({
      arrow: '▼',
      tone: 'better',
      words: 'faster',
    });
  });

  it('draws more throughput as a rise that is better, more errors as a rise that is worse', () => {
    expect(changeMarker('ratePerSec', delta(50, 60, true, false))).toEqual({
      arrow: '▲',
      tone: 'better',
      words: 'more req/s',
    });
    expect(changeMarker('errorRate', delta(0, 0.05, true, true))).toEqual({
      arrow: '▲',
      tone: 'worse',
      words: 'more errors',
    });
    expect(changeMarker('errorRate', delta(0.05, 0.01, true, false))).toMatchObject({
      arrow: '▼',
      tone: 'better',
    });
  });

  it('a change inside the noise band, or on a row not judged, is neither worse nor better', () => {
    expect(changeMarker('p50Ms', delta(100, 105, false, false))).toMatchObject({ arrow: '▲', tone: 'noise' });
    expect(changeMarker('p50Ms', delta(null, 105, false, false))).toEqual({
      arrow: '',
      tone: 'noise',
      words: '',
    });
  });
});

const row = (requests: { base: number | null; candidate: number | null }, judged: boolean): EndpointDelta => {
  const d = delta(100, 100, false, false);
  return {
    name: 'POST /api/auth/register',
    requests,
    judged,
    p50Ms: d,
    p90Ms: d,
    p95Ms: d,
    p99Ms: d,
    maxMs: d,
    ratePerSec: d,
    errorRate: d,
  };
};

describe('judgeNote', () => {
  it('states the counts and the minimum for a row with too few requests', () => {
    expect(judgeNote(row({ base: 2, candidate: 1 }, false), 30)).toBe(
      'too few requests to judge (2 and 1; at least 30 each)',
    );
  });
  it('says which run lacks the endpoint, and nothing for a judged row', () => {
    expect(judgeNote(row({ base: null, candidate: 40 }, false), 30)).toBe('only in the candidate run');
    expect(judgeNote(row({ base: 40, candidate: null }, false), 30)).toBe('only in the baseline run');
    expect(judgeNote(row({ base: 40, candidate: 40 }, true), 30)).toBeNull();
  });
});

const change = (c: Partial<Change>): Change => ({
  endpoint: 'GET /api/cars/:id',
  metric: 'p95Ms',
  delta: delta(120, 480, true, true),
  noiseMultiple: 30,
  worse: true,
  ...c,
});

describe('summary texts', () => {
  it('names the endpoint, the figure, both values, the change and its direction', () => {
    expect(changeText(change({}), (n) => n)).toBe(
      'GET /api/cars/:id p95: 120 ms → 480 ms (+300.0 %) ▲ slower',
    );
    expect(
      changeText(
        change({ endpoint: '(all)', metric: 'ratePerSec', delta: delta(50, 35, true, true) }),
        (n) => (n === '(all)' ? 'All requests' : n),
      ),
    ).toBe('All requests rate: 50.0 req/s → 35.0 req/s (-30.0 %) ▼ fewer req/s');
    expect(changeText(change({ metric: 'errorRate', delta: delta(0, 0.005, true, true) }), (n) => n)).toBe(
      'GET /api/cars/:id errors: 0 % → 0.50 % ▲ more errors',
    );
  });

  it('counts worse and better changes, not cells of unjudged rows', () => {
    expect(verdictText([])).toBe('nothing changed beyond noise');
    expect(verdictText([change({}), change({ metric: 'p50Ms' }), change({ worse: false })])).toBe(
      '2 figure(s) worse, 1 better beyond noise',
    );
    expect(verdictText([change({ worse: false })])).toBe('1 better beyond noise');
  });
});

describe('compareHref', () => {
  it('keeps the run scenario, with or without a baseline', () => {
    expect(compareHref({ scenario: 'chaos test', base: 'run_a', candidate: 'run_b' })).toBe(
      '/compare?scenario=chaos+test&base=run_a&candidate=run_b',
    );
    expect(compareHref({ scenario: 'load', candidate: 'run_b' })).toBe(
      '/compare?scenario=load&candidate=run_b',
    );
  });
});
