import { expect, it } from 'vitest';
import { byUrgency, describeCondition, formatRuleValue, mostUrgent } from '../../src/lib/alert-view.ts';

it('a rule shows its most urgent alert state', () => {
  expect(mostUrgent([])).toBe('inactive');
  expect(mostUrgent(['inactive', 'nodata'])).toBe('nodata');
  expect(mostUrgent(['resolved', 'pending', 'error'])).toBe('pending');
  expect(mostUrgent(['pending', 'firing'])).toBe('firing');
});

it('orders firing before pending, then the longest active first', () => {
  const alerts = [
    { state: 'pending' as const, activeAt: 1 },
    { state: 'firing' as const, activeAt: 30 },
    { state: 'firing' as const, activeAt: 10 },
  ];
  expect(alerts.sort(byUrgency)).toEqual([
    { state: 'firing', activeAt: 10 },
    { state: 'firing', activeAt: 30 },
    { state: 'pending', activeAt: 1 },
  ]);
});

it('shows a rule value in the unit people read', () => {
  const latency = { stat: 'p95', metric: 'http.server.request.duration' };
  expect(formatRuleValue(0.2345, latency)).toBe('235 ms');
  expect(formatRuleValue(250, { stat: 'p95', metric: 'http_req_duration' })).toBe('250 ms');
  expect(formatRuleValue(0.0005, { stat: 'ratio', metric: 'http.server.request.duration' })).toBe('0.05 %');
  expect(formatRuleValue(null, latency)).toBe('no data');
  expect(formatRuleValue(12, { stat: 'count', metric: 'x' })).toBe('12');
});

it('describes a rule condition', () => {
  expect(
    describeCondition({
      stat: 'p95',
      metric: 'http.server.request.duration',
      windowMs: 10_000,
      op: '>',
      threshold: 0.2,
    }),
  ).toBe('p95(http.server.request.duration) over 10s > 200 ms');
  expect(
    describeCondition({ stat: 'ratio', metric: 'm', windowMs: 300_000, op: '>', threshold: 0.001 }),
  ).toBe('ratio(m) over 5m > 0.10 %');
});
