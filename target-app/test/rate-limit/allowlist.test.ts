// The rate-limit allowlist and its configuration: IPs and CIDRs, loopback by default.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/env.ts';
import { createAllowlist, isIpOrCidr } from '../../src/rate-limit/allowlist.ts';
import { defaultRateLimits, rateLimitSettingsSchema } from '../../src/rate-limit/limits.ts';
import { endpointClassOf } from '../../src/rate-limit/register-rate-limits.ts';

describe('allowlist', () => {
  it('matches addresses and CIDR ranges of both families, and IPv4-mapped IPv6', () => {
    const list = createAllowlist(['127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8']);
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.200.3.4', 'fd12::5'])
      expect(list.has(ip)).toBe(true);
    for (const ip of ['127.0.0.2', '11.0.0.1', '203.0.113.7', 'fe80::1', '::ffff:11.0.0.1', 'garbage']) {
      expect(list.has(ip)).toBe(false);
    }
  });

  it('accepts only IPs and CIDRs', () => {
    for (const ok of ['1.2.3.4', '1.2.3.0/24', '::1', '2001:db8::/32']) expect(isIpOrCidr(ok)).toBe(true);
    for (const bad of ['1.2.3', '1.2.3.4/33', '::1/129', 'localhost', '1.2.3.4/8/1', '1.2.3.4/x']) {
      expect(isIpOrCidr(bad)).toBe(false);
    }
  });

  it('defaults to loopback and the plan limits; RATE_LIMIT_ALLOWLIST=none allowlists nothing', () => {
    const config = parseConfig({}, {});
    expect(config.rateLimitAllowlist).toEqual(['127.0.0.1', '::1']);
    expect(defaultRateLimits(config).limits).toEqual({
      auth: { max: 5, windowSeconds: 60 },
      search: { max: 50, windowSeconds: 60 },
      api: { max: 100, windowSeconds: 60 },
      uploads: { max: 10, windowSeconds: 3600 },
    });
    expect(parseConfig({}, { RATE_LIMIT_ALLOWLIST: 'none' }).rateLimitAllowlist).toEqual([]);
    expect(parseConfig({}, { RATE_LIMIT_ALLOWLIST: ' 10.0.0.0/8 , ::1 ' }).rateLimitAllowlist).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
    expect(() => parseConfig({}, { RATE_LIMIT_ALLOWLIST: '10.0.0.0/8,intranet' })).toThrow(
      /RATE_LIMIT_ALLOWLIST: 'intranet' is not an IP address or CIDR/,
    );
    expect(() => parseConfig({}, { RATE_LIMIT_AUTH_PER_MIN: '0' })).toThrow(/RATE_LIMIT_AUTH_PER_MIN/);
  });

  it('classifies routes into endpoint classes', () => {
    expect(endpointClassOf('POST', '/api/auth/login')).toBe('auth');
    expect(endpointClassOf('GET', '/api/cars')).toBe('search');
    expect(endpointClassOf('GET', '/api/cars/:id')).toBe('api');
    expect(endpointClassOf('POST', '/api/uploads/photos')).toBe('uploads');
    expect(endpointClassOf('GET', '/api/favourites')).toBe('api');
  });

  it('fills what an admin PUT leaves out with the configured defaults', () => {
    const defaults = defaultRateLimits(parseConfig({}, { RATE_LIMIT_SEARCH_PER_MIN: '80' }));
    const schema = rateLimitSettingsSchema(defaults);
    const parsed = schema.parse({ limits: { auth: { max: 2, windowSeconds: 10 } } });
    expect(parsed).toEqual({
      ...defaults,
      limits: { ...defaults.limits, auth: { max: 2, windowSeconds: 10 } },
    });
    expect(schema.safeParse({ allowlist: ['nope'] }).success).toBe(false);
    expect(schema.safeParse({ limits: { api: { max: 0, windowSeconds: 60 } } }).success).toBe(false);
  });
});
