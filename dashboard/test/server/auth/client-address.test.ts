import { describe, expect, it } from 'vitest';
import { clientAddressOf, clientKeyOf } from '../../../src/server/auth/client-address.ts';

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

describe('clientAddressOf', () => {
  it('takes the peer, or behind trusted proxies the address the outermost one saw', () => {
    expect(clientAddressOf('10.0.0.5', '6.6.6.6', 0)).toBe('10.0.0.5');
    // One proxy: it appended the real client; what the client claimed before it is ignored.
    expect(clientAddressOf('10.0.0.5', '6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddressOf('10.0.0.5', ['6.6.6.6', '203.0.113.7, 10.0.0.9'], 2)).toBe('203.0.113.7');
    // Fewer entries than trusted hops: the leftmost one.
    expect(clientAddressOf('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
    expect(clientAddressOf('10.0.0.5', '203.0.113.7', 3)).toBe('203.0.113.7');
  });
});
