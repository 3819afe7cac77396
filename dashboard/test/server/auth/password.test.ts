import { describe, expect, it, vi } from 'vitest';
import { hashPassword, isPasswordHash, verifyPassword } from '../../../src/server/auth/password.ts';

// Real scrypt hashes (N = 2^17, ~0.4 s each here) take seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe('password hashes', () => {
  it('verifies the password it was made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(isPasswordHash(hash)).toBe(true);
    expect(hash).toMatch(/^scrypt\.17\.8\.1\./);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts each hash, so equal passwords give different hashes', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('never matches a malformed or tampered hash', async () => {
    const hash = await hashPassword('pw');
    const parts = hash.split('.');
    const key = parts[5] ?? '';
    // Change the key's first character to a different one (a fixed 'A' would leave 1 in 64 keys as they were).
    const tampered = [...parts.slice(0, 5), `${key.startsWith('A') ? 'B' : 'A'}${key.slice(1)}`].join('.');
    expect(tampered).not.toBe(hash);
    expect(await verifyPassword('pw', tampered)).toBe(false);
    expect(await verifyPassword('pw', 'plain-text-password')).toBe(false);
    expect(
      isPasswordHash('scrypt.40.8.1.aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'),
    ).toBe(false);
  });
});
