import { describe, expect, test } from 'vitest';
import { ParamValidationError, parseDuration, parseScenarioParams, scenarios } from '../src/scenarios.ts';

const targets = ['http://127.0.0.1:8080/', 'https://staging.example.test/api'];

function rejection(params: unknown, scenario = 'smoke'): ParamValidationError {
  try {
    parseScenarioParams(scenario, params, targets);
  } catch (err) {
    if (err instanceof ParamValidationError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(params)}`);
}

describe('parseScenarioParams', () => {
  test('fills defaults and normalises the target', () => {
    const { scenario, params } = parseScenarioParams('smoke', { target: 'http://127.0.0.1:8080' }, targets);
    expect(scenario).toBe(scenarios.smoke);
    expect(params).toEqual({ vus: 2, duration: '20s', target: 'http://127.0.0.1:8080' });
  });

  test('accepts the limits themselves', () => {
    const { params } = parseScenarioParams(
      'smoke',
      { vus: 50, duration: '10m', target: 'https://staging.example.test/api/' },
      targets,
    );
    expect(params).toEqual({ vus: 50, duration: '10m', target: 'https://staging.example.test/api' });
  });

  test.each([
    [{ vus: 0 }, 'vus'],
    [{ vus: 51 }, 'vus'],
    [{ vus: 2.5 }, 'vus'],
    [{ vus: '2' }, 'vus'],
    [{ duration: '10' }, 'duration'],
    [{ duration: '5 minutes' }, 'duration'],
    [{ duration: '11m' }, 'duration'],
    [{ duration: '1h' }, 'duration'],
    [{ duration: '0s' }, 'duration'],
    [{ duration: 30 }, 'duration'],
  ])('rejects %j naming the field %s', (bad, field) => {
    const err = rejection({ target: 'http://127.0.0.1:8080', ...bad });
    expect(err.field).toBe(field);
    expect(err.message).toContain(`${field}:`);
  });

  test('rejects a target that is not on the allowlist', () => {
    const err = rejection({ target: 'http://10.0.0.7:8080' });
    expect(err.field).toBe('target');
    expect(err.message).toContain('not in the allowed targets');
  });

  test('the allowlist compares origin and path, not prefixes', () => {
    expect(rejection({ target: 'http://127.0.0.1:8081' }).field).toBe('target');
    expect(rejection({ target: 'https://staging.example.test/' }).field).toBe('target');
    expect(rejection({ target: 'http://127.0.0.1:8080.evil.test' }).field).toBe('target');
  });

  test.each([
    'ftp://127.0.0.1:8080',
    'not a url',
    'http://user:pw@127.0.0.1:8080',
    'http://127.0.0.1:8080/?x=1',
  ])('rejects malformed target %s', (target) => {
    expect(rejection({ target }).field).toBe('target');
  });

  test('a missing target is an error, not a default', () => {
    expect(rejection({ vus: 2 }).field).toBe('target');
    expect(rejection(undefined).field).toBe('target');
  });

  test('unknown parameters and scenarios are named', () => {
    expect(rejection({ target: 'http://127.0.0.1:8080', rps: 5 }).field).toBe('rps');
    expect(rejection({ target: 'http://127.0.0.1:8080' }, 'soak').field).toBe('scenario');
    expect(rejection({ target: 'http://127.0.0.1:8080' }, 'toString').field).toBe('scenario');
  });

  test('every problem is listed', () => {
    const err = rejection({ vus: 0, duration: 'soon', target: 'http://elsewhere.test' });
    expect(err.issues.map((i) => i.field).sort()).toEqual(['duration', 'target', 'vus']);
  });
});

test('parseDuration reads k6 duration strings', () => {
  expect(parseDuration('250ms')).toBe(250);
  expect(parseDuration('20s')).toBe(20_000);
  expect(parseDuration('10m')).toBe(600_000);
  expect(parseDuration('2h')).toBe(7_200_000);
  expect(parseDuration('1m30s')).toBeUndefined();
  expect(parseDuration('-5s')).toBeUndefined();
});
