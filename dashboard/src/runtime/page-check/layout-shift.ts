// Cumulative Layout Shift as Core Web Vitals (and Lighthouse since v6.5) define it: layout shifts
// not caused by recent input, grouped into session windows (a gap under 1 s between shifts, at most
// 5 s long); the score is the largest window's sum.

export type LayoutShift = { startTime: number; value: number; hadRecentInput: boolean };

export const SESSION_GAP_MS = 1_000;
export const SESSION_MAX_MS = 5_000;

export function cumulativeLayoutShift(shifts: readonly LayoutShift[]): number {
  const counted = shifts.filter((s) => !s.hadRecentInput).sort((a, b) => a.startTime - b.startTime);
  let largest = 0;
  let current = 0;
  let windowStart = Number.NEGATIVE_INFINITY;
  let previous = Number.NEGATIVE_INFINITY;
  for (const shift of counted) {
    const continues =
      shift.startTime - previous < SESSION_GAP_MS && shift.startTime - windowStart < SESSION_MAX_MS;
    if (!continues) {
      current = 0;
      windowStart = shift.startTime;
    }
    current += shift.value;
    previous = shift.startTime;
    largest = Math.max(largest, current);
  }
  return largest;
}
