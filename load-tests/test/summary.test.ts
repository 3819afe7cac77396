// Fixtures are real k6 v2.2.0 output: the smoke script's handleSummary against a healthy server
// and against one answering 500 to everything (fixtures/regenerate.ts writes them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseSummary, readSummaryFile, resultFromSummary, SummaryParseError } from '../src/summary.ts';

const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);
type Raw = {
  metrics: Record<string, { values: Record<string, number> }>;
  state: { testRunDurationMs: number };
};
const raw = (name: string): Raw => JSON.parse(readFileSync(fixture(name), 'utf8'));
const load = (name: string) => parseSummary(raw(name));

test('a passing run: stats, per-endpoint table and the plan thresholds', () => {
  const result = resultFromSummary(load('smoke-pass.summary.json'), { code: 0, signal: null });
  const { metrics, state } = raw('smoke-pass.summary.json');
  const count = (metric: string): number | undefined => metrics[metric]?.values.count;
  expect(result.exitCode).toBe(0);
  expect(result.thresholdsPassed).toBe(true);
  expect(result.thresholds).toEqual([
    { metric: 'checks', expr: 'rate>0.99', ok: true },
    { metric: 'http_req_duration', expr: 'p(95)<200', ok: true },
    { metric: 'http_req_duration{name:GET /api/cars}', expr: 'p(95)<300', ok: true },
    { metric: 'http_req_duration{name:GET /api/recommendations}', expr: 'p(95)<150', ok: true },
    { metric: 'http_req_failed', expr: 'rate<0.001', ok: true },
    { metric: 'realtime_latency', expr: 'p(95)<50', ok: true },
  ]);
  const s = result.stats!;
  expect(s.httpReqs).toBe(count('http_reqs'));
  expect(s.httpReqs).toBeGreaterThan(0);
  expect(s.iterations).toBe(count('iterations'));
  expect(s.errorRate).toBe(0);
  expect(s.checksRate).toBe(1);
  expect(s.durationMs).toBe(state.testRunDurationMs);
  expect(s.reqRate).toBe(metrics.http_reqs?.values.rate);
  expect(s.p95Ms).toBe(metrics.http_req_duration?.values['p(95)']);
  expect(s.dataReceived).toBeGreaterThan(0);
  expect(s.dataSent).toBeGreaterThan(0);
  for (const p of [s.p50Ms, s.p90Ms, s.p95Ms, s.p99Ms, s.maxMs]) expect(p).toBeGreaterThan(0);
  expect(s.p50Ms! <= s.p90Ms! && s.p90Ms! <= s.p95Ms! && s.p95Ms! <= s.p99Ms! && s.p99Ms! <= s.maxMs!).toBe(
    true,
  );
  // Every route the smoke journeys name, browsing and signed-in (refresh is only used on expiry).
  const routes = Object.keys(metrics)
    .map((m) => /^http_req_duration\{name:(.+)\}$/.exec(m)?.[1])
    .filter((r): r is string => r !== undefined)
    .sort();
  expect(routes).toEqual(
    expect.arrayContaining(['GET /api/cars', 'GET /api/cars/:id', 'POST /api/favourites']),
  );
  expect(result.perEndpoint?.map((e) => [e.name, e.count])).toEqual(
    routes.map((r) => [r, count(`http_req_duration{name:${r}}`)]),
  );
  expect(result.perEndpoint?.reduce((sum, e) => sum + e.count, 0)).toBe(s.httpReqs);
  expect(result.perEndpoint?.every((e) => e.count === 0 || (e.p95Ms ?? 0) > 0)).toBe(true);
  expect(result.checks?.find((c) => c.name === 'details: status 200')).toEqual({
    name: 'details: status 200',
    passes: count('http_req_duration{name:GET /api/cars/:id}'),
    fails: 0,
  });
});

test('a failing target: thresholds fail, routes never reached have no p95', () => {
  const result = resultFromSummary(load('smoke-http500.summary.json'), { code: 99, signal: null });
  expect(result.exitMeaning).toBe('thresholds failed');
  expect(result.thresholdsPassed).toBe(false);
  expect(result.thresholds.filter((t) => !t.ok).map((t) => t.metric)).toEqual(['checks', 'http_req_failed']);
  expect(result.stats?.errorRate).toBe(1);
  // Only the price feed's checks pass: the chaos error rate applies to HTTP routes, not WebSockets.
  const passed = result.checks?.filter((c) => c.passes > 0).map((c) => c.name);
  expect(passed?.every((name) => name.startsWith('price feed:'))).toBe(true);
  const passes = result.checks?.reduce((sum, c) => sum + c.passes, 0) ?? 0;
  const fails = result.checks?.reduce((sum, c) => sum + c.fails, 0) ?? 0;
  expect(fails).toBeGreaterThan(0);
  expect(result.stats?.checksRate).toBeCloseTo(passes / (passes + fails), 10);
  expect(result.perEndpoint?.find((e) => e.name === 'GET /api/cars/:id')).toEqual({
    name: 'GET /api/cars/:id',
    count: 0,
    p95Ms: null,
  });
});

test('no summary (k6 died early): the exit is still explained', () => {
  const result = resultFromSummary(undefined, { code: null, signal: 'SIGKILL' });
  expect(result).toEqual({
    exitCode: null,
    signal: 'SIGKILL',
    exitMeaning: 'killed by SIGKILL',
    thresholdsPassed: false,
    thresholds: [],
    stats: null,
  });
});

test('readSummaryFile: missing is undefined, garbage is an error', async () => {
  expect(await readSummaryFile(fixture('does-not-exist.json'))).toBeUndefined();
  await expect(readSummaryFile(fixture('k6-rest-status.json'))).rejects.toBeInstanceOf(SummaryParseError);
  const read = await readSummaryFile(fixture('smoke-pass.summary.json'));
  expect(read?.metrics.http_reqs?.values.count).toBe(
    raw('smoke-pass.summary.json').metrics.http_reqs?.values.count,
  );
});
