import { describe, expect, it } from 'vitest';
import { clientKeyOf } from '../../../src/server/auth/client-address.ts';

describe('clientKeyOf', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as IPv4 and IPv6 by its /64', () => {
    expect(clientKeyOf('10.1.2.3')).toBe('10.1.2.3');
    expect(clientKeyOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKeyOf('2001:0db8:0001:0002:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyOf(undefined)).toBe('unknown');
  });
});
