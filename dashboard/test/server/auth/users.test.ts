import { describe, expect, it, vi } from 'vitest';
import { parseDashboardEnv } from '../../../src/env.ts';
import { hashPassword } from '../../../src/server/auth/password.ts';
import { parseUsers } from '../../../src/server/auth/users.ts';

// Real scrypt hashes (N = 2^17, ~0.4 s each here) take seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe('DASHBOARD_USERS', () => {
  it('reads name:role:hash entries separated by commas or whitespace', async () => {
    const h = await hashPassword('x');
    expect(parseUsers(`alice:qa:${h}, bob:viewer:${h}\ncarol:admin:${h}`)).toEqual([
      { name: 'alice', role: 'qa', passwordHash: h },
      { name: 'bob', role: 'viewer', passwordHash: h },
      { name: 'carol', role: 'admin', passwordHash: h },
    ]);
    expect(parseUsers('')).toEqual([]);
  });

  it('names the bad entry: unknown role, plain-text password, duplicate', async () => {
    const h = await hashPassword('x');
    expect(() => parseUsers(`alice:root:${h}`)).toThrow(
      /entry "alice": role must be one of viewer, qa, admin/,
    );
    expect(() => parseUsers('bob:qa:hunter2')).toThrow(/entry "bob": password hash must be scrypt/);
    expect(() => parseUsers(`a:qa:${h},a:viewer:${h}`)).toThrow(/"a" is listed twice/);
  });

  it('stops the dashboard at start with the variable named and the value not echoed', () => {
    expect(() => parseDashboardEnv({ DASHBOARD_USERS: 'bob:qa:hunter2' })).toThrow(
      /DASHBOARD_USERS: entry "bob": password hash must be scrypt/,
    );
    let message: string | undefined;
    try {
      parseDashboardEnv({ DASHBOARD_USERS: 'bob:qa:hunter2', SESSION_SECRET: 'short' });
    } catch (error) {
      message = (error as Error).message;
    }
    // Outside the catch: accepting the short secret leaves message undefined and fails here.
    expect(message).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('short"');
  });
});
