import { expect, test } from 'vitest';
import { ParamValidationError, parseScenarioParams, scenarios } from '../src/scenarios.ts';

const targets = ['http://127.0.0.1:8080'];
const target = 'http://127.0.0.1:8080';

function fieldOf(scenario: string, params: unknown): string {
  try {
    parseScenarioParams(scenario, params, targets);
  } catch (err) {
    if (err instanceof ParamValidationError) return err.field;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(params)}`);
}

test('defaults are the plan figures: scale 1 and the plan duration', () => {
  expect(parseScenarioParams('load', { target }, targets).params).toEqual({
    scale: 1,
    vus: 10_000,
    duration: '30m',
    target,
  });
  expect(parseScenarioParams('stress', { target }, targets).params.vus).toBe(50_000);
  expect(parseScenarioParams('endurance', { target }, targets).params.duration).toBe('24h');
  expect(parseScenarioParams('breakpoint', { target }, targets).params.vus).toBe(50_000);
});

test('scale shrinks VUs and duration overrides the plan length', () => {
  expect(parseScenarioParams('load', { target, scale: 0.001, duration: '10m' }, targets).params).toEqual({
    scale: 0.001,
    vus: 10,
    duration: '10m',
    target,
  });
  // An endurance run of 10 minutes on a laptop.
  expect(parseScenarioParams('endurance', { target, scale: 0.01, duration: '10m' }, targets).params.vus).toBe(
    100,
  );
});

test('vus instead of scale means the peak VU count (what the launch form sends)', () => {
  const { params } = parseScenarioParams('stress', { target, vus: 500, duration: '5m' }, targets);
  expect(params).toEqual({ scale: 0.01, vus: 500, duration: '5m', target });
});

test.each([
  ['load', { scale: 0 }, 'scale'],
  ['load', { scale: 1.5 }, 'scale'],
  ['load', { scale: '0.1' }, 'scale'],
  ['load', { scale: 0.00001 }, 'scale'],
  ['load', { vus: 10_001 }, 'vus'],
  ['load', { scale: 0.1, vus: 10 }, 'vus'],
  ['load', { duration: '5h' }, 'duration'],
  ['endurance', { duration: '49h' }, 'duration'],
  ['spike', { rps: 4 }, 'rps'],
  ['breakpoint', { duration: 'forever' }, 'duration'],
])('%s rejects %j naming %s', (scenario, bad, field) => {
  expect(fieldOf(scenario, { target, ...bad })).toBe(field);
});

test('the target allowlist holds for every scenario', () => {
  for (const name of Object.keys(scenarios))
    expect(fieldOf(name, { target: 'http://192.0.2.1:8080', scale: 0.001 })).toBe('target');
});

test('every scaled scenario documents its plan and limits for the launch form', () => {
  for (const def of Object.values(scenarios)) {
    expect(def.description.length).toBeGreaterThan(20);
    expect(def.defaults.vus).toBeLessThanOrEqual(def.limits.maxVus);
    if ('plan' in def) {
      expect(def.defaults.vus).toBe(def.plan.peakVus);
      expect(def.capacity).toMatch(/\S/);
    }
  }
});
