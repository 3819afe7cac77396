// The compare page's proposed pair: a "Compare…" link names only the candidate, and the page opens
// the comparison at once against the scenario's baseline, else the candidate's neighbour.
import type { TrendPoint } from 'load-tests';
import { describe, expect, it } from 'vitest';
import { defaultPair } from '../../src/components/runs/overlay-data.ts';

const point = (runId: string, isBaseline = false): TrendPoint => ({
  runId,
  createdAt: 0,
  state: 'finished',
  params: {},
  exitCode: 0,
  thresholdsPassed: true,
  requests: 100,
  reqRate: 10,
  errorRate: 0,
  p50Ms: 10,
  p95Ms: 20,
  p99Ms: 30,
  isBaseline,
});

describe('defaultPair', () => {
  const runs = [point('r1'), point('r2', true), point('r3'), point('r4')];

  it('without a candidate: the baseline against the newest run', () => {
    expect(defaultPair(runs)).toEqual({ base: 'r2', candidate: 'r4' });
    expect(defaultPair([point('r1'), point('r2')])).toEqual({ base: 'r1', candidate: 'r2' });
  });

  it('for a named candidate: the baseline against it', () => {
    expect(defaultPair(runs, 'r3')).toEqual({ base: 'r2', candidate: 'r3' });
    expect(defaultPair(runs, 'r1')).toEqual({ base: 'r2', candidate: 'r1' });
  });

  it('the baseline itself as candidate: the run before it, else the one after it', () => {
    expect(defaultPair(runs, 'r2')).toEqual({ base: 'r1', candidate: 'r2' });
    expect(defaultPair([point('r1', true), point('r2')], 'r1')).toEqual({ base: 'r2', candidate: 'r1' });
  });

  it('a candidate not listed yet: the newest listed run; nothing to compare with: null', () => {
    expect(defaultPair([point('r1'), point('r2')], 'r9')).toEqual({ base: 'r2', candidate: 'r9' });
    expect(defaultPair([point('r1')], 'r1')).toBeNull();
    expect(defaultPair([point('r1')])).toBeNull();
    expect(defaultPair([])).toBeNull();
  });
});
