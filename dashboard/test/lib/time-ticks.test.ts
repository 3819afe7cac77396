import { expect, it } from 'vitest';
import { formatTick, timeTicks } from '../../src/lib/time-ticks.ts';

const MIN = 60_000;

it('puts ticks at round intervals inside the window, never too many', () => {
  const from = Date.UTC(2026, 0, 1, 12, 2, 17);
  const { ticks, stepMs } = timeTicks(from, from + 5 * MIN);
  expect(stepMs).toBe(MIN);
  expect(ticks.length).toBeLessThanOrEqual(8);
  expect(ticks[0]).toBeGreaterThanOrEqual(from);
  for (const t of ticks) expect(t % MIN).toBe(0);
});

it('picks wider intervals for longer windows', () => {
  expect(timeTicks(0, 15 * MIN).stepMs).toBe(2 * MIN);
  expect(timeTicks(0, 60 * MIN).stepMs).toBe(10 * MIN);
  expect(timeTicks(0, 20_000).stepMs).toBe(5000);
});

it('labels are unique: seconds appear when the interval is under a minute', () => {
  const { ticks, stepMs } = timeTicks(0, 30_000);
  const labels = ticks.map((t) => formatTick(t, stepMs));
  expect(new Set(labels).size).toBe(labels.length);
  expect(labels[0]).toMatch(/^\d\d:\d\d:\d\d$/);
  expect(formatTick(0, MIN)).toMatch(/^\d\d:\d\d$/);
});

it('an empty window has no ticks to draw', () => {
  expect(timeTicks(5, 4).ticks).toEqual([]);
});
