// CLS as the largest session window of layout shifts (gap < 1 s, window ≤ 5 s), input excluded.
import { describe, expect, it } from 'vitest';
import { cumulativeLayoutShift } from '../../../src/runtime/page-check/layout-shift.ts';

const shift = (startTime: number, value: number, hadRecentInput = false) => ({
  startTime,
  value,
  hadRecentInput,
});

describe('cumulativeLayoutShift', () => {
  it('is 0 for a page that never shifts', () => {
    expect(cumulativeLayoutShift([])).toBe(0);
  });

  it('sums shifts less than 1 s apart into one window and keeps the largest window', () => {
    const shifts = [shift(100, 0.05), shift(800, 0.05), shift(3000, 0.08)];
    expect(cumulativeLayoutShift(shifts)).toBeCloseTo(0.1);
  });

  it('closes a window after 5 s even when shifts keep coming', () => {
    const steady = Array.from({ length: 12 }, (_, i) => shift(i * 900, 0.01));
    // 0…4500 ms holds six shifts, the next window starts at 5400 ms.
    expect(cumulativeLayoutShift(steady)).toBeCloseTo(0.06);
  });

  it('leaves out shifts right after user input', () => {
    expect(cumulativeLayoutShift([shift(100, 0.3, true), shift(200, 0.02)])).toBeCloseTo(0.02);
  });
});
