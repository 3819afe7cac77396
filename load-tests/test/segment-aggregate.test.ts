import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { executionSegments } from '../src/distributed.ts';
import { aggregateSummaries } from '../src/segment-aggregate.ts';
import { parseSummary, statsFromSummary } from '../src/summary.ts';

const read = (name: string) =>
  parseSummary(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')));
const pass = read('smoke-pass.summary.json');
const fail = read('smoke-http500.summary.json');

test('execution segments split 0..1 into equal parts of one sequence', () => {
  expect(executionSegments(1)).toEqual([{ segment: '0:1', sequence: '0,1' }]);
  expect(executionSegments(3)).toEqual([
    { segment: '0:1/3', sequence: '0,1/3,2/3,1' },
    { segment: '1/3:2/3', sequence: '0,1/3,2/3,1' },
    { segment: '2/3:1', sequence: '0,1/3,2/3,1' },
  ]);
  expect(() => executionSegments(0)).toThrow(RangeError);
  expect(() => executionSegments(1.5)).toThrow(RangeError);
});

test('counts and rates add up; percentiles are the worst segment; error rate weighted by requests', () => {
  const a = statsFromSummary(pass);
  const b = statsFromSummary(fail);
  const agg = aggregateSummaries([pass, fail]);
  expect(agg.segments).toBe(2);
  expect(agg.stats.httpReqs).toBe(a.httpReqs + b.httpReqs);
  expect(agg.stats.iterations).toBe(a.iterations + b.iterations);
  expect(agg.stats.reqRate).toBeCloseTo(a.reqRate + b.reqRate);
  expect(agg.stats.dataReceived).toBe(a.dataReceived + b.dataReceived);
  expect(agg.stats.p95Ms).toBe(Math.max(a.p95Ms ?? 0, b.p95Ms ?? 0));
  expect(agg.stats.durationMs).toBe(Math.max(a.durationMs, b.durationMs));
  expect(agg.stats.errorRate).toBeCloseTo(
    (a.errorRate * a.httpReqs + b.errorRate * b.httpReqs) / (a.httpReqs + b.httpReqs),
  );
  expect(agg.percentiles).toBe('max-of-segments');
});

test('a threshold passes only if it passed in every segment', () => {
  const agg = aggregateSummaries([pass, fail]);
  expect(agg.thresholdsPassed).toBe(false);
  expect(agg.thresholds.find((t) => t.metric === 'http_req_failed')?.ok).toBe(false);
  expect(aggregateSummaries([pass, pass]).thresholdsPassed).toBe(true);
  const counts = aggregateSummaries([pass, pass]).perEndpoint.map((e) => e.count);
  expect(counts).toEqual(aggregateSummaries([pass]).perEndpoint.map((e) => e.count * 2));
});
