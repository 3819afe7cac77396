import { describe, expect, it } from 'vitest';
import {
  changedSettings,
  chaosLabel,
  labelsLeft,
  markerOfAuditRow,
  newestMarkers,
  shortLabel,
  switchLabel,
} from '../../src/lib/change-markers.ts';

const noChaos = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  routes: [],
  cacheEnabled: true,
  slowQueryMs: 0,
  slowQueryRate: 1,
  memoryLeakMbPerSec: 0,
  memoryLeakCapMb: 256,
  cpuBurn: 0,
  poolMax: null,
  updatedAt: '2026-12-07T15:00:00.000Z',
};

describe('chaosLabel', () => {
  it('names the chaos the target is left with, scoped settings with their routes', () => {
    expect(chaosLabel({ ...noChaos, latencyMs: 400, routes: ['/api/cars'] })).toBe(
      'chaos: +400 ms on /api/cars',
    );
    expect(chaosLabel({ ...noChaos, latencyMs: 400, jitterMs: 50, errorRate: 0.05 })).toBe(
      'chaos: +400 ms, ±50 ms jitter, 5% errors',
    );
    expect(
      chaosLabel({
        ...noChaos,
        cacheEnabled: false,
        slowQueryMs: 300,
        slowQueryRate: 0.25,
        poolMax: 2,
        cpuBurn: 0.5,
      }),
    ).toBe('chaos: cache off, slow queries +300 ms (25%), CPU burn 50%, pool 2');
    expect(chaosLabel({ ...noChaos, memoryLeakMbPerSec: 5 })).toBe('chaos: leak 5 MB/s');
  });

  it('says off when every setting is back to none, and changed when the state is unknown', () => {
    expect(chaosLabel(noChaos)).toBe('chaos: off');
    expect(chaosLabel(null)).toBe('chaos: changed');
  });
});

describe('switchLabel', () => {
  it('names each switch changed with its new value; a reset says so', () => {
    const base = { experimentId: 'exp_1', resource: '/admin/optimisations', variant: 'no-cache' };
    expect(switchLabel({ ...base, changed: { responseCache: { from: true, to: false } } })).toBe(
      'responseCache off',
    );
    expect(
      switchLabel({
        ...base,
        changed: {
          redisL2: { from: false, to: true },
          poolSize: { from: 10, to: 20 },
          emailDelivery: { from: 'inline', to: 'queued' },
        },
      }),
    ).toBe('redisL2 on, poolSize 20, emailDelivery queued');
    expect(
      switchLabel({ ...base, variant: null, changed: { responseCache: { from: false, to: true } } }),
    ).toBe('responseCache on (reset)');
    expect(
      switchLabel({ ...base, resource: '/admin/chaos', changed: { latencyMs: { from: 0, to: 50 } } }),
    ).toBe('chaos: latencyMs 50');
  });
});

describe('markerOfAuditRow', () => {
  it('turns chaos changes and experiment switches into markers, and nothing else', () => {
    expect(
      markerOfAuditRow({
        at: 5,
        action: 'chaos.change',
        details: { previous: noChaos, next: { ...noChaos, errorRate: 0.1 } },
      }),
    ).toEqual({ at: 5, kind: 'chaos', label: 'chaos: 10% errors' });
    expect(
      markerOfAuditRow({
        at: 6,
        action: 'experiment.switch',
        details: {
          experimentId: 'exp_1',
          resource: '/admin/optimisations',
          variant: 'baseline',
          changed: { tokenValidationCache: { from: true, to: false } },
        },
      }),
    ).toEqual({ at: 6, kind: 'optimisation', label: 'tokenValidationCache off' });
    expect(markerOfAuditRow({ at: 7, action: 'run.launch', details: {} })).toBeNull();
    expect(markerOfAuditRow({ at: 8, action: 'experiment.switch', details: {} })).toBeNull();
  });
});

describe('changedSettings', () => {
  it('lists the keys whose values differ, with both values', () => {
    expect(changedSettings({ a: true, b: 1, c: ['x'] }, { a: false, b: 1, c: ['x'], d: 'new' })).toEqual({
      a: { from: true, to: false },
      d: { from: null, to: 'new' },
    });
    expect(changedSettings({ a: true }, { a: true })).toEqual({});
  });
});

describe('newestMarkers and shortLabel', () => {
  it('keeps the newest markers, oldest first', () => {
    const markers = [30, 10, 40, 20].map((at) => ({ at, kind: 'chaos' as const, label: `at ${at}` }));
    expect(newestMarkers(markers, 3).map((m) => m.at)).toEqual([20, 30, 40]);
  });

  it('cuts a long label with an ellipsis and leaves a short one alone', () => {
    expect(shortLabel('responseCache off')).toBe('responseCache off');
    const cut = shortLabel('chaos: +400 ms, 5% errors on /api/cars');
    expect(cut).toBe('chaos: +400 ms, 5% er…');
    expect(cut).toHaveLength(22);
  });

  it('puts the label of a marker in the right part of the window on the left of its line', () => {
    expect(labelsLeft(1_000, [0, 10_000])).toBe(false);
    expect(labelsLeft(9_500, [0, 10_000])).toBe(true);
  });
});
