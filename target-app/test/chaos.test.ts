import { describe, expect, it } from 'vitest';
import {
  chaosAppliesTo,
  chaosConfigSchema,
  chaosDelayMs,
  createChaosController,
  NO_CHAOS,
} from '../src/chaos.ts';
import { toIssues } from '../src/http/errors.ts';

function issuesFor(body: unknown) {
  const result = chaosConfigSchema.safeParse(body);
  return result.success ? [] : toIssues(result.error);
}

describe('chaosConfigSchema', () => {
  it('fills what a PUT leaves out with "no chaos"', () => {
    expect(chaosConfigSchema.parse({})).toEqual(NO_CHAOS);
    expect(chaosConfigSchema.parse({ latencyMs: 250, routes: ['/api/cars/:id'] })).toEqual({
      ...NO_CHAOS,
      latencyMs: 250,
      routes: ['/api/cars/:id'],
    });
    expect(NO_CHAOS).toMatchObject({ slowQueryMs: 0, memoryLeakMbPerSec: 0, cpuBurn: 0, poolMax: null });
  });

  it('accepts the bounds', () => {
    expect(issuesFor({ latencyMs: 30_000, jitterMs: 0, errorRate: 1 })).toEqual([]);
    expect(issuesFor({ latencyMs: 0, jitterMs: 30_000, errorRate: 0 })).toEqual([]);
  });

  it('rejects out-of-range values, wrong types, foreign routes and unknown fields, each at its path', () => {
    const paths = (body: unknown) => issuesFor(body).map((issue) => issue.path);
    expect(paths({ latencyMs: 30_001 })).toEqual(['latencyMs']);
    expect(paths({ jitterMs: -1 })).toEqual(['jitterMs']);
    expect(paths({ errorRate: 1.5 })).toEqual(['errorRate']);
    expect(paths({ errorRate: '0.5' })).toEqual(['errorRate']);
    expect(paths({ routes: '/api/cars' })).toEqual(['routes']);
    expect(paths({ latencyMs: 10, latency: 10 })).toEqual(['latency']);
    expect(paths({ slowQueryRate: 2, cpuBurn: 1, poolMax: 0, memoryLeakCapMb: 4096 })).toEqual([
      'slowQueryRate',
      'memoryLeakCapMb',
      'cpuBurn',
      'poolMax',
    ]);
    expect(issuesFor({ routes: ['/api/cars', '/admin/chaos'] })).toEqual([
      { path: 'routes.1', message: "must be an /api route pattern such as '/api/cars/:id'" },
    ]);
    expect(paths(null)).toEqual(['(root)']);
  });
});

describe('chaosAppliesTo', () => {
  const config = { ...NO_CHAOS, latencyMs: 100 };
  it('applies to every /api route when no routes are listed, and never outside /api', () => {
    expect(chaosAppliesTo(config, '/api/cars')).toBe(true);
    expect(chaosAppliesTo(config, '/api/cars/:id')).toBe(true);
    expect(chaosAppliesTo(config, '/health')).toBe(false);
    expect(chaosAppliesTo(config, '/admin/chaos')).toBe(false);
    expect(chaosAppliesTo(config, '/apiary')).toBe(false);
    expect(chaosAppliesTo(config, undefined)).toBe(false);
  });

  it('matches listed route patterns exactly', () => {
    const only = { ...config, routes: ['/api/cars/:id'] };
    expect(chaosAppliesTo(only, '/api/cars/:id')).toBe(true);
    expect(chaosAppliesTo(only, '/api/cars')).toBe(false);
  });
});

describe('chaosDelayMs', () => {
  it('adds a uniform share of the jitter to the fixed latency', () => {
    const config = { ...NO_CHAOS, latencyMs: 100, jitterMs: 50 };
    expect(chaosDelayMs(config, () => 0)).toBe(100);
    expect(chaosDelayMs(config, () => 0.5)).toBe(125);
    expect(chaosDelayMs({ ...NO_CHAOS, latencyMs: 100 }, () => 0.9)).toBe(100);
  });
});

describe('createChaosController', () => {
  it('replaces the config on set, resets to no chaos, and tells listeners each time', () => {
    let tick = 0;
    const controller = createChaosController(() => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)));
    const seen: number[] = [];
    controller.onChange((state) => seen.push(state.latencyMs));
    expect(controller.current()).toMatchObject({ ...NO_CHAOS, updatedAt: '2026-01-01T00:00:00.000Z' });
    controller.set({ ...NO_CHAOS, latencyMs: 300, errorRate: 0.2 });
    expect(controller.current()).toMatchObject({
      latencyMs: 300,
      errorRate: 0.2,
      updatedAt: '2026-01-01T00:00:01.000Z',
    });
    controller.reset();
    expect(controller.current()).toMatchObject(NO_CHAOS);
    expect(seen).toEqual([300, 0]);
  });
});
