// TTI and TBT from long tasks and network timings, pinned against Lighthouse's definitions
// (interactive.js, tbt-utils.js) on hand-built timelines.
import { describe, expect, it } from 'vitest';
import {
  computeInteractivity,
  cpuQuietPeriods,
  networkQuietPeriods,
  totalBlockingTime,
} from '../../../src/runtime/page-check/interactivity.ts';

const task = (start: number, duration: number) => ({ start, end: start + duration });
const base = { fcp: 500, domContentLoaded: 400, requests: [{ start: 0, end: 100 }] };

describe('totalBlockingTime', () => {
  it('counts what each long task exceeds 50 ms by', () => {
    // 120 ms → 70, 50 ms → 0 (not over the threshold), 300 ms → 250.
    expect(totalBlockingTime([task(1000, 120), task(1500, 50), task(2000, 300)], 500, 10_000)).toBe(320);
  });

  it('clips a task to FCP first, then subtracts 50 ms (a 150 ms task halfway over FCP blocks 50 ms)', () => {
    expect(totalBlockingTime([task(0, 150)], 50, 10_000)).toBe(50);
    // Clipped to 40 ms after FCP: not blocking at all.
    expect(totalBlockingTime([task(0, 150)], 110, 10_000)).toBe(0);
  });

  it('leaves out tasks wholly before FCP or after TTI, and clips at TTI', () => {
    expect(totalBlockingTime([task(0, 400), task(5000, 400)], 500, 4000)).toBe(0);
    expect(totalBlockingTime([task(3900, 200)], 500, 4000)).toBe(50);
    expect(totalBlockingTime([task(1000, 200)], 4000, 4000)).toBe(0);
  });
});

describe('quiet periods', () => {
  it('finds network periods with at most two requests in flight', () => {
    const requests = [task(0, 1000), task(100, 1000), task(200, 1000), task(300, 100)];
    // A third request at 200 ms ends the quiet from 0; the count drops to two at 1000 ms.
    expect(networkQuietPeriods(requests, 9000)).toEqual([
      { start: 0, end: 200 },
      { start: 1000, end: 9000 },
    ]);
  });

  it('finds the gaps between long tasks up to the end of observation', () => {
    expect(cpuQuietPeriods([task(2000, 100), task(600, 100)], 9000)).toEqual([
      { start: 0, end: 600 },
      { start: 700, end: 2000 },
      { start: 2100, end: 9000 },
    ]);
    expect(cpuQuietPeriods([], 9000)).toEqual([{ start: 0, end: 9000 }]);
  });
});

describe('computeInteractivity', () => {
  it('is FCP when nothing blocks and the network is quiet (no long tasks, TBT 0)', () => {
    expect(computeInteractivity({ ...base, longTasks: [], observedUntil: 6000 })).toEqual({
      tti: 500,
      tbt: 0,
    });
  });

  it('is not known until the quiet window has lasted 5 s past FCP', () => {
    expect(computeInteractivity({ ...base, longTasks: [], observedUntil: 5400 })).toBeUndefined();
    const longTasks = [task(800, 200), task(3000, 300)];
    expect(computeInteractivity({ ...base, longTasks, observedUntil: 8200 })).toBeUndefined();
  });

  it('is the end of the last long task before a 5 s quiet window; TBT sums the tasks from FCP to it', () => {
    // Gaps: 1000→3000 (2 s), then quiet from 3300: the window 3300–8300 is the first long enough.
    const longTasks = [task(800, 200), task(3000, 300)];
    expect(computeInteractivity({ ...base, longTasks, observedUntil: 8300 })).toEqual({
      tti: 3300,
      tbt: 150 + 250,
    });
  });

  it('waits for the network: a busy network pushes the window later even when the CPU is idle', () => {
    const longTasks = [task(800, 200)];
    // Three requests in flight until 4000 ms: the network is quiet only from then on.
    const requests = [task(0, 4000), task(50, 4000), task(600, 3400)];
    expect(computeInteractivity({ ...base, longTasks, requests, observedUntil: 8999 })).toBeUndefined();
    // The CPU was quiet from 1000: TTI is the CPU quiet period's start, as in Lighthouse.
    expect(computeInteractivity({ ...base, longTasks, requests, observedUntil: 9000 })).toEqual({
      tti: 1000,
      tbt: 150,
    });
  });

  it('is never before DOMContentLoaded', () => {
    const result = computeInteractivity({
      ...base,
      domContentLoaded: 900,
      longTasks: [],
      observedUntil: 6000,
    });
    expect(result?.tti).toBe(900);
  });
});
