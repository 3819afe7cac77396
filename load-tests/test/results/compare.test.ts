// compareResults' "no false alarm" side, with expectations worked out by hand from noise.ts' bands:
// latency and request rate are flagged only when the relative change is strictly beyond the band
// (±10 % fixed), error rate only when the absolute change is strictly beyond 0.001 (0.1 pp), and
// only a change in the bad direction (slower, fewer requests/s, more errors) is a regression; an
// endpoint with fewer than 30 requests on either side is never flagged; flagged changes are ranked
// by |change| ÷ band.
import { describe, expect, test } from 'vitest';
import { ALL_REQUESTS, compareResults, MIN_REQUESTS_TO_JUDGE } from '../../src/results/compare.ts';
import type { LatencyStats } from '../../src/results/latency.ts';
import { ERROR_RATE_NOISE, FIXED_NOISE_PCT, type NoiseBand } from '../../src/results/noise.ts';
import type { EndpointResult, RunResults } from '../../src/results/run-results.ts';
import type { ThresholdResult } from '../../src/run-state.ts';

const FIXED: NoiseBand = {
  source: 'fixed',
  runs: 0,
  latencyPct: FIXED_NOISE_PCT,
  ratePct: FIXED_NOISE_PCT,
  errorRateAbs: ERROR_RATE_NOISE,
};

/** Every percentile (and max) equal to `ms`, so one number drives all five latency deltas. */
const latency = (ms: number): LatencyStats => ({
  count: 1000,
  avgMs: ms,
  p50Ms: ms,
  p90Ms: ms,
  p95Ms: ms,
  p99Ms: ms,
  maxMs: ms,
});

type Figures = { ms: number; rate: number; errorRate: number | null; requests?: number };
const STEADY: Figures = { ms: 100, rate: 50, errorRate: 0 };

const endpoint = (name: string, f: Figures): EndpointResult => ({
  name,
  requests: f.requests ?? 1000,
  ratePerSec: f.rate,
  failed: 0,
  errorRate: f.errorRate,
  latency: latency(f.ms),
});

const results = (
  runId: string,
  endpoints: Record<string, Figures>,
  totals: Figures = STEADY,
  thresholds: ThresholdResult[] = [],
): RunResults => ({
  runId,
  scenario: 'load',
  state: 'finished',
  params: {},
  target: 'http://127.0.0.1:8080',
  startedAt: 0,
  endedAt: 60_000,
  durationSec: 60,
  percentiles: { source: 'exponential', errorBound: 0.01, description: 'estimated' },
  totals: {
    requests: totals.requests ?? 1000,
    ratePerSec: totals.rate,
    failed: 0,
    errorRate: totals.errorRate,
    iterations: 100,
    dataSentBytes: 0,
    dataReceivedBytes: 0,
    latency: latency(totals.ms),
  },
  endpoints: Object.entries(endpoints).map(([name, f]) => endpoint(name, f)),
  errorsByStatus: [],
  checks: [],
  thresholds,
  storeThresholds: [],
  server: null,
});

/** Compares one endpoint (and the totals) moving from `base` to `cand` under the fixed band. */
const compareOne = (base: Figures, cand: Figures) => {
  const cmp = compareResults(
    results('base', { 'GET /api/cars': base }, base),
    results('cand', { 'GET /api/cars': cand }, cand),
    FIXED,
  );
  expect(cmp.endpoints.map((e) => e.name)).toEqual(['GET /api/cars']);
  return { cmp, e: cmp.endpoints[0]! };
};

const LATENCIES = ['p50Ms', 'p90Ms', 'p95Ms', 'p99Ms', 'maxMs'] as const;

describe('latency', () => {
  test('5 % slower, inside the ±10 % band, is not flagged', () => {
    const { cmp, e } = compareOne(STEADY, { ...STEADY, ms: 105 });
    for (const k of LATENCIES)
      expect(e[k], k).toEqual({
        base: 100,
        candidate: 105,
        deltaPct: 5,
        significant: false,
        regression: false,
      });
    expect(cmp.regressions).toBe(0);
  });

  test('exactly at the band edge (+10 %) is not flagged; just past it (+11 %) is', () => {
    const edge = compareOne(STEADY, { ...STEADY, ms: 110 });
    expect(edge.e.p95Ms).toEqual({
      base: 100,
      candidate: 110,
      deltaPct: 10,
      significant: false,
      regression: false,
    });
    expect(edge.cmp.regressions).toBe(0);

    const past = compareOne(STEADY, { ...STEADY, ms: 111 });
    expect(past.e.p95Ms).toMatchObject({ candidate: 111, significant: true, regression: true });
    expect(past.e.p95Ms.deltaPct).toBeCloseTo(11, 9);
    // Five latency figures, on the endpoint and on the totals row.
    expect(past.cmp.regressions).toBe(10);
  });

  test('a large improvement is significant but not a regression', () => {
    const { cmp, e } = compareOne(STEADY, { ...STEADY, ms: 50 });
    for (const k of LATENCIES)
      expect(e[k], k).toEqual({
        base: 100,
        candidate: 50,
        deltaPct: -50,
        significant: true,
        regression: false,
      });
    expect(cmp.totals.p95Ms).toMatchObject({ significant: true, regression: false });
    expect(cmp.regressions).toBe(0);
  });

  test('a band from history applies instead of the fixed one', () => {
    const tight: NoiseBand = { ...FIXED, source: 'history', runs: 5, latencyPct: 3, ratePct: 3 };
    const cmp = compareResults(
      results('base', { a: STEADY }),
      results('cand', { a: { ...STEADY, ms: 105 } }),
      tight,
    );
    // 5 % is inside the fixed band but outside this 3 % one.
    expect(cmp.endpoints[0]!.p95Ms).toMatchObject({ deltaPct: 5, significant: true, regression: true });
  });
});

describe('request rate', () => {
  test('a drop beyond the band is a regression (fewer requests/s is worse)', () => {
    const { cmp, e } = compareOne(STEADY, { ...STEADY, rate: 40 });
    expect(e.ratePerSec).toEqual({
      base: 50,
      candidate: 40,
      deltaPct: -20,
      significant: true,
      regression: true,
    });
    expect(cmp.totals.ratePerSec.regression).toBe(true);
    // Latency and errors unchanged: the rate on the endpoint and on the totals are the only two.
    expect(cmp.regressions).toBe(2);
  });

  test('a rise beyond the band is significant but not a regression', () => {
    const { cmp, e } = compareOne(STEADY, { ...STEADY, rate: 60 });
    expect(e.ratePerSec).toEqual({
      base: 50,
      candidate: 60,
      deltaPct: 20,
      significant: true,
      regression: false,
    });
    expect(cmp.regressions).toBe(0);
  });

  test('a drop to exactly the band edge (−10 %) is not flagged; −12 % is', () => {
    expect(compareOne(STEADY, { ...STEADY, rate: 45 }).e.ratePerSec).toEqual({
      base: 50,
      candidate: 45,
      deltaPct: -10,
      significant: false,
      regression: false,
    });
    expect(compareOne(STEADY, { ...STEADY, rate: 44 }).e.ratePerSec).toMatchObject({
      deltaPct: -12,
      significant: true,
      regression: true,
    });
  });
});

describe('error rate (absolute band of 0.1 percentage point)', () => {
  test('0 → 0.1 % is at the edge and not flagged; 0 → 0.11 % is a regression', () => {
    // A relative band could not judge these at all: the base is 0, so deltaPct is null.
    const edge = compareOne(STEADY, { ...STEADY, errorRate: 0.001 });
    expect(edge.e.errorRate).toEqual({
      base: 0,
      candidate: 0.001,
      deltaPct: null,
      significant: false,
      regression: false,
    });
    expect(edge.cmp.regressions).toBe(0);

    const past = compareOne(STEADY, { ...STEADY, errorRate: 0.0011 });
    expect(past.e.errorRate).toEqual({
      base: 0,
      candidate: 0.0011,
      deltaPct: null,
      significant: true,
      regression: true,
    });
    expect(past.cmp.regressions).toBe(2);
  });

  test('a large relative change inside the absolute band is not flagged', () => {
    // 0.02 % → 0.1 %: five times as many errors (+400 %), still within 0.1 pp.
    const { cmp, e } = compareOne({ ...STEADY, errorRate: 0.0002 }, { ...STEADY, errorRate: 0.001 });
    expect(e.errorRate.deltaPct).toBeCloseTo(400, 9);
    expect(e.errorRate).toMatchObject({ significant: false, regression: false });
    expect(cmp.regressions).toBe(0);
  });

  test('fewer errors beyond the band is significant but not a regression', () => {
    const { cmp, e } = compareOne({ ...STEADY, errorRate: 0.05 }, { ...STEADY, errorRate: 0.01 });
    expect(e.errorRate).toMatchObject({ base: 0.05, candidate: 0.01, significant: true, regression: false });
    expect(cmp.regressions).toBe(0);
  });

  test('a side with no requests (null error rate) is never flagged', () => {
    const { cmp, e } = compareOne({ ...STEADY, errorRate: null }, { ...STEADY, errorRate: 0.5 });
    expect(e.errorRate).toEqual({
      base: null,
      candidate: 0.5,
      deltaPct: null,
      significant: false,
      regression: false,
    });
    expect(cmp.regressions).toBe(0);
  });
});

test('the same results compared with themselves flag nothing', () => {
  const r = results('a', {
    'GET /api/cars': STEADY,
    'POST /api/login': { ms: 300, rate: 5, errorRate: 0.01 },
  });
  const cmp = compareResults(r, r, FIXED);
  expect(cmp.regressions).toBe(0);
  expect(cmp.changes).toEqual([]);
  expect(cmp.biggestChanges).toEqual([]);
  for (const e of [cmp.totals, ...cmp.endpoints]) {
    for (const k of [...LATENCIES, 'ratePerSec'] as const)
      expect(e[k], `${e.name} ${k}`).toMatchObject({ deltaPct: 0, significant: false, regression: false });
    expect(e.errorRate, e.name).toMatchObject({ significant: false, regression: false });
  }
});

test('an endpoint on one side only has nulls there and is not flagged', () => {
  const cmp = compareResults(
    results('base', { 'GET /api/cars': STEADY, 'GET /api/old': STEADY }),
    results('cand', { 'GET /api/cars': STEADY, 'GET /api/new': STEADY }),
    FIXED,
  );
  expect(cmp.endpoints.map((e) => e.name)).toEqual(['GET /api/cars', 'GET /api/new', 'GET /api/old']);
  expect(cmp.endpoints[1]!.p95Ms).toEqual({
    base: null,
    candidate: 100,
    deltaPct: null,
    significant: false,
    regression: false,
  });
  expect(cmp.endpoints[2]!.ratePerSec).toEqual({
    base: 50,
    candidate: null,
    deltaPct: null,
    significant: false,
    regression: false,
  });
  expect(cmp.regressions).toBe(0);
});

test('thresholds are paired by metric and expression, sorted, with null for a side without it', () => {
  const cmp = compareResults(
    results('base', {}, STEADY, [
      { metric: 'http_req_failed', expr: 'rate<0.01', ok: true },
      { metric: 'http_req_duration', expr: 'p(95)<200', ok: true },
    ]),
    results('cand', {}, STEADY, [
      { metric: 'http_req_duration', expr: 'p(95)<200', ok: false },
      { metric: 'http_req_duration', expr: 'p(99)<500', ok: true },
    ]),
    FIXED,
  );
  expect(cmp.thresholds).toEqual([
    { metric: 'http_req_duration', expr: 'p(95)<200', base: true, candidate: false },
    { metric: 'http_req_duration', expr: 'p(99)<500', base: null, candidate: true },
    { metric: 'http_req_failed', expr: 'rate<0.01', base: true, candidate: null },
  ]);
});

describe('minimum sample count (30 requests on each side)', () => {
  test('is stated as 30', () => {
    expect(MIN_REQUESTS_TO_JUDGE).toBe(30);
  });

  test('an endpoint with 29 requests on one side shows its change but is not judged', () => {
    // 100 → 300 ms (+200 %) would be far beyond the band with enough requests.
    const cmp = compareResults(
      results('base', { 'POST /api/auth/register': { ...STEADY, requests: 1000 } }),
      results('cand', { 'POST /api/auth/register': { ...STEADY, ms: 300, rate: 5, requests: 29 } }),
      FIXED,
    );
    const e = cmp.endpoints[0]!;
    expect(e).toMatchObject({ judged: false, requests: { base: 1000, candidate: 29 } });
    expect(e.p95Ms).toEqual({
      base: 100,
      candidate: 300,
      deltaPct: 200,
      significant: false,
      regression: false,
    });
    expect(e.ratePerSec).toMatchObject({ deltaPct: -90, significant: false, regression: false });
    expect(cmp.regressions).toBe(0);
    expect(cmp.changes).toEqual([]);
  });

  test('29 requests on the baseline side is as unjudged as on the candidate side', () => {
    const cmp = compareResults(
      results('base', { a: { ...STEADY, requests: 29 } }),
      results('cand', { a: { ...STEADY, ms: 300 } }),
      FIXED,
    );
    expect(cmp.endpoints[0]).toMatchObject({ judged: false, p50Ms: { significant: false } });
  });

  test('exactly 30 requests on both sides is judged', () => {
    const cmp = compareResults(
      results('base', { a: { ...STEADY, requests: 30 } }),
      results('cand', { a: { ...STEADY, ms: 300, requests: 30 } }),
      FIXED,
    );
    expect(cmp.endpoints[0]).toMatchObject({
      judged: true,
      requests: { base: 30, candidate: 30 },
      p95Ms: { deltaPct: 200, significant: true, regression: true },
    });
    // p50, p90, p95, p99 and max of the endpoint; the totals did not move.
    expect(cmp.regressions).toBe(5);
  });

  test('the totals row follows the same rule', () => {
    const few = { ...STEADY, requests: 12 };
    const cmp = compareResults(
      results('base', {}, few),
      results('cand', {}, { ...few, ms: 500, errorRate: 0.5 }),
      FIXED,
    );
    expect(cmp.totals).toMatchObject({
      judged: false,
      p95Ms: { deltaPct: 400, significant: false },
      errorRate: { significant: false },
    });
    expect(cmp.regressions).toBe(0);
  });

  test('an endpoint on one side only is not judged', () => {
    const cmp = compareResults(results('base', {}), results('cand', { a: STEADY }), FIXED);
    expect(cmp.endpoints[0]).toMatchObject({ judged: false, requests: { base: null, candidate: 1000 } });
  });
});

describe('ranking and "what changed most"', () => {
  // Chaos on one route: GET /api/cars/:id 100 → 400 ms. Hand-derived multiples of the band
  // (latency and rate ±10 %, errors ±0.001):
  //   GET /api/cars/:id   p50, p95, p99 +300 %        → 30×  worse
  //   POST /api/favourites errors 0 → 0.5 %            → 5×   worse
  //   GET /api/cars       rate 50 → 35 req/s (−30 %)   → 3×   worse
  //   GET /api/cars/:id   rate 50 → 40 req/s (−20 %)   → 2×   worse
  //   GET /api/auth/me      p50, p95, p99 −20 %          → 2×   better (after the worse 2×)
  //   GET /api/models     +5 %: noise; POST /api/auth/register: 2 requests, not judged.
  const chaos = () =>
    compareResults(
      results('base', {
        'GET /api/cars/:id': STEADY,
        'GET /api/cars': STEADY,
        'POST /api/favourites': STEADY,
        'GET /api/auth/me': STEADY,
        'GET /api/models': STEADY,
        'POST /api/auth/register': { ...STEADY, requests: 2 },
      }),
      results('cand', {
        'GET /api/cars/:id': { ...STEADY, ms: 400, rate: 40 },
        'GET /api/cars': { ...STEADY, rate: 35 },
        'POST /api/favourites': { ...STEADY, errorRate: 0.005 },
        'GET /api/auth/me': { ...STEADY, ms: 80 },
        'GET /api/models': { ...STEADY, ms: 105 },
        'POST /api/auth/register': { ...STEADY, ms: 5000, requests: 2 },
      }),
      FIXED,
    );

  test('flagged changes are ranked by how far beyond noise they go, worse first on a tie', () => {
    const cmp = chaos();
    expect(cmp.changes.map((c) => [c.endpoint, c.metric, c.worse])).toEqual([
      ['GET /api/cars/:id', 'p50Ms', true],
      ['GET /api/cars/:id', 'p95Ms', true],
      ['GET /api/cars/:id', 'p99Ms', true],
      ['POST /api/favourites', 'errorRate', true],
      ['GET /api/cars', 'ratePerSec', true],
      ['GET /api/cars/:id', 'ratePerSec', true],
      ['GET /api/auth/me', 'p50Ms', false],
      ['GET /api/auth/me', 'p95Ms', false],
      ['GET /api/auth/me', 'p99Ms', false],
    ]);
    const multiples = cmp.changes.map((c) => c.noiseMultiple);
    for (const [i, m] of [30, 30, 30, 5, 3, 2, 2, 2, 2].entries()) expect(multiples[i]).toBeCloseTo(m, 9);
    expect(cmp.changes[0]!.delta).toEqual({
      base: 100,
      candidate: 400,
      deltaPct: 300,
      significant: true,
      regression: true,
    });
    // Cells flagged worse: the route's five latency figures and its rate, one rate, one error rate.
    expect(cmp.regressions).toBe(8);
  });

  test('the summary names the top three, one per endpoint and kind', () => {
    expect(chaos().biggestChanges.map((c) => [c.endpoint, c.metric])).toEqual([
      ['GET /api/cars/:id', 'p50Ms'],
      ['POST /api/favourites', 'errorRate'],
      ['GET /api/cars', 'ratePerSec'],
    ]);
  });

  test('endpoints are listed by their largest change, then unchanged, then too few to judge', () => {
    expect(chaos().endpoints.map((e) => e.name)).toEqual([
      'GET /api/cars/:id',
      'POST /api/favourites',
      'GET /api/cars',
      'GET /api/auth/me',
      'GET /api/models',
      'POST /api/auth/register',
    ]);
  });

  test('the totals rank too: in a short run they may be the only row with enough requests', () => {
    // 60 requests in all, 20 per endpoint: every endpoint 100 → 150 ms (+50 %, 5×).
    const small = { ...STEADY, requests: 20 };
    const cmp = compareResults(
      results('base', { a: small, b: small, c: small }, { ...STEADY, requests: 60 }),
      results(
        'cand',
        { a: { ...small, ms: 150 }, b: { ...small, ms: 150 }, c: { ...small, ms: 150 } },
        { ...STEADY, ms: 150, requests: 60 },
      ),
      FIXED,
    );
    expect(cmp.endpoints.map((e) => e.judged)).toEqual([false, false, false]);
    expect(cmp.biggestChanges).toHaveLength(1);
    expect(cmp.biggestChanges[0]).toMatchObject({ endpoint: ALL_REQUESTS, metric: 'p50Ms', worse: true });
    expect(cmp.biggestChanges[0]!.noiseMultiple).toBeCloseTo(5, 9);
  });

  test('on an equal change the endpoint with more requests ranks first', () => {
    const cmp = compareResults(
      results('base', { a: { ...STEADY, requests: 40 }, b: STEADY }),
      results('cand', { a: { ...STEADY, ms: 150, requests: 40 }, b: { ...STEADY, ms: 150 } }),
      FIXED,
    );
    expect(cmp.biggestChanges.map((c) => [c.endpoint, c.metric])).toEqual([
      ['b', 'p50Ms'],
      ['a', 'p50Ms'],
    ]);
    expect(cmp.endpoints.map((e) => e.name)).toEqual(['b', 'a']);
  });
});
