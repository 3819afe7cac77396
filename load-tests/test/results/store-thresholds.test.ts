import { expect, test } from 'vitest';
import { judgeThresholds } from '../../src/results/store-thresholds.ts';

const stats = (p95Ms: number) => ({
  count: 10,
  avgMs: 50,
  p50Ms: 40,
  p90Ms: 90,
  p95Ms,
  p99Ms: 300,
  maxMs: 400,
});
const figures = {
  latency: stats(180),
  byName: new Map([['GET /api/cars', stats(320)]]),
  errorRate: 0.002,
  checks: [
    { name: 'a', passes: 99, fails: 0 },
    { name: 'b', passes: 0, fails: 1 },
  ],
};

test('plan thresholds are re-judged on store-wide figures; unknown expressions stay unjudged', () => {
  const judged = judgeThresholds(
    [
      { metric: 'http_req_duration', expr: 'p(95)<200', ok: false },
      { metric: 'http_req_duration{name:GET /api/cars}', expr: 'p(95)<300', ok: true },
      { metric: 'http_req_duration{name:GET /api/other}', expr: 'p(95)<300', ok: true },
      { metric: 'http_req_failed', expr: 'rate<0.001', ok: true },
      { metric: 'checks', expr: 'rate>0.99', ok: true },
      { metric: 'http_req_duration', expr: 'med <= 40', ok: true },
      { metric: 'http_req_duration', expr: 'p(75)<100', ok: true },
      { metric: 'iterations', expr: 'count>10', ok: true },
    ],
    figures,
  );
  expect(judged.map((t) => [t.value, t.ok])).toEqual([
    [180, true],
    [320, false],
    [null, null],
    [0.002, false],
    [0.99, false],
    [40, true],
    [null, null],
    [null, null],
  ]);
});
