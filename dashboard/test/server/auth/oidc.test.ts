import { describe, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../../src/env.ts';
import { safeNext } from '../../../src/lib/safe-next.ts';
import { roleFromClaims } from '../../../src/server/auth/oidc.ts';

const mapping = {
  roleClaim: 'groups',
  roleValues: [
    { role: 'qa' as const, value: 'perf-qa' },
    { role: 'admin' as const, value: 'perf-admins' },
  ],
  defaultRole: 'viewer' as const,
};

describe('OIDC roles', () => {
  it('takes the highest role the claim values grant, as an array or a space-separated string', () => {
    expect(roleFromClaims({ groups: ['staff', 'perf-qa'] }, mapping)).toBe('qa');
    expect(roleFromClaims({ groups: ['perf-admins', 'perf-qa'] }, mapping)).toBe('admin');
    expect(roleFromClaims({ groups: 'perf-qa perf-admins' }, mapping)).toBe('admin');
  });

  it('falls back to the default role, or refuses when there is none', () => {
    expect(roleFromClaims({ groups: ['staff'] }, mapping)).toBe('viewer');
    expect(roleFromClaims({}, { ...mapping, defaultRole: null })).toBeNull();
  });

  it('reads OIDC_ROLES and refuses a bad entry or an issuer without a client id', () => {
    const env = parseDashboardEnv({
      OIDC_ISSUER: 'https://idp.example.com/realms/perf',
      OIDC_CLIENT_ID: 'perf',
      OIDC_ROLES: 'admin:perf-admins, qa:perf-qa',
    });
    expect(env.OIDC_ROLES).toEqual([
      { role: 'admin', value: 'perf-admins' },
      { role: 'qa', value: 'perf-qa' },
    ]);
    expect(() => parseDashboardEnv({ OIDC_ROLES: 'root:wheel' })).toThrow(
      /OIDC_ROLES: "root:wheel" is not role:value/,
    );
    expect(() => parseDashboardEnv({ OIDC_ISSUER: 'https://idp.example.com' })).toThrow(
      /OIDC_CLIENT_ID: required/,
    );
  });

  it('only returns to paths on this site', () => {
    expect(safeNext('/load-tests?run=1')).toBe('/load-tests?run=1');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
  });
});
