import { describe, expect, it } from 'vitest';
import {
  CLIENT_LIMITS,
  createSignInThrottle,
  PAIR_LIMITS,
  type ThrottleDecision,
} from '../../../src/server/auth/sign-in-throttle.ts';

function setup() {
  const clock = { t: 1_000_000 };
  const throttle = createSignInThrottle(() => clock.t);
  /** One finished failed attempt; returns the decision it got. */
  const fail = (account: string, client: string): ThrottleDecision => {
    const d = throttle.begin(account, client);
    if (d.type === 'go') d.settle('failed');
    return d;
  };
  return { clock, throttle, fail };
}

describe('sign-in throttle', () => {
  it('counts concurrent attempts as they start: 25 at once get only the free tries', () => {
    const { throttle } = setup();
    const decisions = Array.from({ length: 25 }, () => throttle.begin('admin', '10.0.0.1'));
    expect(decisions.filter((d) => d.type === 'go')).toHaveLength(PAIR_LIMITS.free);
    expect(decisions.filter((d) => d.type === 'wait')).toHaveLength(25 - PAIR_LIMITS.free);
  });

  it('slows the failing client with waits that double, and never the account for others', () => {
    const { clock, throttle, fail } = setup();
    for (let i = 0; i < PAIR_LIMITS.free; i++) expect(fail('admin', '10.0.0.1').type).toBe('go');
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const d = throttle.begin('admin', '10.0.0.1');
      if (d.type !== 'wait') throw new Error('expected a wait');
      waits.push(d.retryAfterSeconds);
      clock.t += d.retryAfterSeconds * 1000;
      expect(fail('admin', '10.0.0.1').type).toBe('go');
    }
    expect(waits.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(Math.max(...waits)).toBe(PAIR_LIMITS.maxWaitMs / 1000);
    // Someone else signs in as admin at once.
    const other = throttle.begin('admin', '10.0.0.2');
    expect(other.type).toBe('go');
  });

  it('refuses the right password from the guessing client until its wait is over', () => {
    const { clock, throttle, fail } = setup();
    for (let i = 0; i <= PAIR_LIMITS.free; i++) {
      clock.t += 60_000;
      fail('ada', '10.0.0.1');
    }
    const refused = throttle.begin('ada', '10.0.0.1');
    expect(refused).toMatchObject({ type: 'wait', first: true });
    expect(throttle.begin('ada', '10.0.0.1')).toMatchObject({ type: 'wait', first: false });
    clock.t += 2_000;
    const allowed = throttle.begin('ada', '10.0.0.1');
    expect(allowed.type).toBe('go');
    if (allowed.type === 'go') allowed.settle('signed-in');
    clock.t += 1;
    expect(throttle.begin('ada', '10.0.0.1').type).toBe('go');
  });

  it('slows a client that sprays one password over many accounts', () => {
    const { throttle, fail } = setup();
    for (let i = 0; i < CLIENT_LIMITS.free; i++) expect(fail(`user${i}`, '10.0.0.9').type).toBe('go');
    expect(throttle.begin('someone-new', '10.0.0.9').type).toBe('wait');
    expect(throttle.begin('someone-new', '10.0.0.10').type).toBe('go');
  });

  it('does not count attempts refused before the password was checked', () => {
    const { throttle } = setup();
    for (let i = 0; i < 10; i++) {
      const d = throttle.begin('ada', '10.0.0.1');
      if (d.type === 'go') d.settle('not-tried');
    }
    expect(throttle.begin('ada', '10.0.0.1').type).toBe('go');
  });
});
