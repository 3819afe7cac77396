import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { generatedUsersFile, loadAuthConfig, sessionSecretFile } from '../../../src/server/auth/bootstrap.ts';
import { verifyPassword } from '../../../src/server/auth/password.ts';

// Real scrypt hashes (N = 2^17, ~0.4 s each here) take seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('with no users configured, creates an admin once, prints its password once and keeps only the hash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-bootstrap-'));
  dirs.push(dir);
  const firstLog: string[] = [];
  const first = await loadAuthConfig({ DASHBOARD_USERS: [], DATA_DIR: dir }, (l) => firstLog.push(l));
  const password = /password .*: (\S+)$/.exec(firstLog.join('\n'))?.[1] ?? '';
  expect(password.length).toBeGreaterThanOrEqual(20);
  expect(first.users).toHaveLength(1);
  expect(first.users[0]).toMatchObject({ name: 'admin', role: 'admin' });
  expect(first.usersFrom).toBe('generated admin');
  expect(await verifyPassword(password, first.users[0]?.passwordHash ?? '')).toBe(true);

  const file = readFileSync(generatedUsersFile(dir), 'utf8');
  expect(file).not.toContain(password);
  expect(statSync(generatedUsersFile(dir)).mode & 0o777).toBe(0o600);
  expect(statSync(sessionSecretFile(dir)).mode & 0o777).toBe(0o600);

  const secondLog: string[] = [];
  const second = await loadAuthConfig({ DASHBOARD_USERS: [], DATA_DIR: dir }, (l) => secondLog.push(l));
  expect(second).toEqual(first);
  expect(secondLog.join('\n')).not.toContain(password);
  expect(secondLog.join('\n')).toMatch(/delete .*dashboard-users\.json/);
});

it('uses DASHBOARD_USERS and SESSION_SECRET when set, writing nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-bootstrap-'));
  dirs.push(dir);
  const users = [{ name: 'q', role: 'qa' as const, passwordHash: 'scrypt.x' }];
  const config = await loadAuthConfig(
    { DASHBOARD_USERS: users, SESSION_SECRET: 's'.repeat(40), DATA_DIR: dir },
    () => undefined,
  );
  expect(config).toEqual({ users, usersFrom: 'DASHBOARD_USERS', secret: 's'.repeat(40) });
  expect(() => statSync(generatedUsersFile(dir))).toThrow();
  expect(() => statSync(sessionSecretFile(dir))).toThrow();
});
