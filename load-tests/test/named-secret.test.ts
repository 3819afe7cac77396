// Secrets the CLI takes from a variable a flag names (never argv): the value, or one line why not.
import { describe, expect, it } from 'vitest';
import { namedSecret } from '../src/env.ts';

describe('namedSecret', () => {
  it('reads the named variable', () => {
    expect(namedSecret('--secret-env', 'HOOK', { HOOK: 'https://h.example/x' })).toEqual({
      value: 'https://h.example/x',
    });
  });

  it('refuses an unset or empty variable in one line naming it', () => {
    for (const source of [{}, { HOOK: '' }, { HOOK: '  ' }]) {
      const r = namedSecret('--secret-env', 'HOOK', source);
      expect(r).toEqual({ refusal: expect.stringMatching(/^--secret-env HOOK: that variable is not set/) });
      expect('refusal' in r && r.refusal.includes('\n')).toBe(false);
    }
  });

  it('refuses something that is not a variable name (a secret pasted by mistake)', () => {
    const r = namedSecret('--password-env', 'hunter2 hunter2', { 'hunter2 hunter2': 'x' });
    expect(r).toEqual({ refusal: '--password-env hunter2 hunter2: not a variable name' });
  });
});
