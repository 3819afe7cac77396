import { describe, expect, it } from 'vitest';
import { formatCost, formatKpiValue, formatScore, formatTarget } from '../../src/lib/score-view.ts';

describe('score view', () => {
  it('shows scores as whole points and a missing one as "no data"', () => {
    expect(formatScore(89.6)).toBe('90');
    expect(formatScore(0)).toBe('0');
    expect(formatScore(null)).toBe('no data');
  });

  it('reads KPI values in their unit', () => {
    expect(formatKpiValue(187.2, 'ms')).toBe('187 ms');
    expect(formatKpiValue(0.0012, 'ratio')).toBe('0.12 %');
    expect(formatKpiValue(1234, 'req/s')).toBe('1,234 req/s');
    expect(formatKpiValue(182.4, 'MB')).toBe('182 MB');
    expect(formatKpiValue(0.05, 'unitless')).toBe('0.0500');
    expect(formatKpiValue(null, 'ms')).toBe('no data');
  });

  it('states the target the way the KPI improves', () => {
    expect(formatTarget({ good: 200, unit: 'ms', direction: 'lower-is-better' })).toBe('≤ 200 ms');
    expect(formatTarget({ good: 1000, unit: 'req/s', direction: 'higher-is-better' })).toBe('≥ 1,000 req/s');
  });

  it('shows what a KPI costs, or a dash when nothing', () => {
    expect(formatCost(12.34)).toBe('−12.3');
    expect(formatCost(0)).toBe('—');
    expect(formatCost(null)).toBe('—');
  });
});
