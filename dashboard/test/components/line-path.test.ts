import { expect, it } from 'vitest';
import { linePaths } from '../../src/components/line-path.ts';

const x = (t: number) => t;
const y = (v: number) => 100 - v;

it('draws one line through consecutive values', () => {
  const rows = [
    { t: 0, p95: 10 },
    { t: 1, p95: 20 },
    { t: 2, p95: 30 },
  ];
  expect(linePaths(rows, 'p95', x, y)).toEqual({ line: 'M0.0 90.00L1.0 80.00L2.0 70.00', dots: '' });
});

it('leaves a gap where a step has no value, never drawing it as 0', () => {
  const rows = [
    { t: 0, p95: 10 },
    { t: 1, p95: 20 },
    { t: 2, p95: null },
    { t: 3 },
    { t: 4, p95: 40 },
    { t: 5, p95: 50 },
  ];
  const { line } = linePaths(rows, 'p95', x, y);
  expect(line).toBe('M0.0 90.00L1.0 80.00M4.0 60.00L5.0 50.00');
  expect(line).not.toContain('100.00');
});

it('marks a value without neighbours with a dot, so a single point still shows', () => {
  const rows = [
    { t: 0, p95: null },
    { t: 1, p95: 25 },
    { t: 2, p95: null },
    { t: 3, p95: 5 },
    { t: 4, p95: 6 },
    { t: 5, p95: 7 },
  ];
  expect(linePaths(rows, 'p95', x, y)).toEqual({
    line: 'M1.0 75.00M3.0 95.00L4.0 94.00L5.0 93.00',
    dots: 'M1.0 75.00h0',
  });
});

it('draws nothing for a series without values', () => {
  expect(linePaths([{ t: 0 }, { t: 1, p95: null }], 'p95', x, y)).toEqual({ line: '', dots: '' });
});
