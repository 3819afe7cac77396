// Fixtures are a real k6 v2.2.0 REST API's answers (GET /v1/status and /v1/metrics mid-run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { liveStatusFrom, parseMetricsResponse, parseStatusResponse } from '../src/k6-rest.ts';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const status = parseStatusResponse(read('k6-rest-status.json'));
const metrics = parseMetricsResponse(read('k6-rest-metrics.json'));

test('live status from one poll', () => {
  const live = liveStatusFrom(status, metrics, 1000);
  const httpReqs = metrics.find((m) => m.name === 'http_reqs')!;
  expect(live.vus).toBe(2);
  expect(live.httpReqs).toBe(httpReqs.sample.count);
  expect(live.httpReqs).toBeGreaterThan(0);
  expect(live.reqRate).toBe(httpReqs.sample.rate);
  expect(live.iterations).toBeGreaterThan(0);
  expect(live.p95Ms).toBeGreaterThan(0);
  expect(live.errorRate).toBe(0);
  // Per metric (the REST API does not report per expression); the per-route breakdown is left out,
  // except search and recommendations, which have plan thresholds of their own (p95 < 300 / 150 ms).
  expect(live.thresholds).toEqual([
    { metric: 'checks', ok: true },
    { metric: 'http_req_duration', ok: true },
    { metric: 'http_req_duration{name:GET /api/cars}', ok: true },
    { metric: 'http_req_duration{name:GET /api/recommendations}', ok: true },
    { metric: 'http_req_failed', ok: true },
    { metric: 'realtime_latency', ok: true },
  ]);
});

test('request rate is the rate since the previous poll', () => {
  const live = liveStatusFrom(status, metrics, 3000);
  const later = liveStatusFrom(status, metrics, 5000, { at: 3000, httpReqs: live.httpReqs - 10 });
  expect(later.reqRate).toBe(5);
});

test('a breached threshold shows as not ok', () => {
  const tainted = metrics.map((m) => (m.name === 'http_req_failed' ? { ...m, tainted: true } : m));
  expect(liveStatusFrom(status, tainted, 1000).thresholds).toContainEqual({
    metric: 'http_req_failed',
    ok: false,
  });
});
