import { expect, it } from 'vitest';
import {
  type AlertStateName,
  alertTimeline,
  byUrgency,
  formatMatcher,
  matchersFromLabels,
  mostUrgent,
} from '../../src/lib/alert-view.ts';

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

it('counts firing and pending alerts over time as steps, holding through no data', () => {
  const tr = (at: number, fingerprint: string, to: AlertStateName) => ({ at, fingerprint, rule: 'R', to });
  const points = alertTimeline(
    [
      tr(50, 'a', 'pending'), // before the window: counted at its start
      tr(120, 'a', 'firing'),
      tr(130, 'b', 'pending'),
      tr(140, 'a', 'nodata'), // holds firing
      tr(150, 'b', 'inactive'),
      tr(170, 'a', 'resolved'),
    ],
    100,
    200,
  );
  expect(points).toEqual([
    { t: 100, firing: 0, pending: 1 },
    { t: 119, firing: 0, pending: 1 },
    { t: 120, firing: 1, pending: 0 },
    { t: 129, firing: 1, pending: 0 },
    { t: 130, firing: 1, pending: 1 },
    { t: 149, firing: 1, pending: 1 },
    { t: 150, firing: 1, pending: 0 },
    { t: 169, firing: 1, pending: 0 },
    { t: 170, firing: 0, pending: 0 },
    { t: 200, firing: 0, pending: 0 },
  ]);
});

it('prefills silence matchers from an alert, alertname first', () => {
  const matchers = matchersFromLabels({
    severity: 'page',
    alertname: 'TargetNoData',
    service: 'car-suggester',
  });
  expect(matchers.map(formatMatcher)).toEqual([
    'alertname="TargetNoData"',
    'service="car-suggester"',
    'severity="page"',
  ]);
});
