import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Auth, createAuth, type SsoMapping } from '../../../src/server/auth/auth.ts';
import { CLIENT_ADDRESS_HEADER } from '../../../src/server/auth/client-address.ts';
import { hashPassword } from '../../../src/server/auth/password.ts';
import type { LocalUser } from '../../../src/server/auth/users.ts';
import { memorySessions } from '../../support/memory-sessions.ts';

// Real scrypt hashes (N = 2^17, ~0.4 s each here) take seconds on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const SECRET = 'k'.repeat(43);
let users: LocalUser[];
let clock = 1_000_000;

beforeAll(async () => {
  users = [{ name: 'quinn', role: 'qa', passwordHash: await hashPassword('quinn-pass') }];
});

let sessions: ReturnType<typeof memorySessions>;
const SSO: SsoMapping = {
  issuer: 'https://idp.example',
  roleOf: (claims) => (claims.includes('perf-admins') ? 'admin' : claims.includes('staff') ? 'viewer' : null),
};

const make = (over: Partial<Parameters<typeof createAuth>[0]> = {}): Auth =>
  createAuth({
    users,
    secret: SECRET,
    sessionTtlMs: 60_000,
    cookieSecure: 'auto',
    now: () => clock,
    sessions,
    sso: null,
    ...over,
  });

beforeEach(() => {
  sessions = memorySessions(() => clock);
});

const cookieOf = (setCookie: string) => setCookie.split(';')[0] ?? '';
const http = new Headers({ host: 'dash' });

async function signedIn(auth: Auth): Promise<string> {
  const result = await auth.signIn('quinn', 'quinn-pass', http);
  if (result.type !== 'signed-in') throw new Error('sign-in refused');
  return result.setCookie;
}

describe('sessions', () => {
  it('sets an HttpOnly, SameSite=Lax cookie that names the user with their configured role', async () => {
    const auth = make();
    const setCookie = await signedIn(auth);
    expect(setCookie).toMatch(/^cs_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=60$/);
    expect(await auth.userFromCookieHeader(`other=1; ${cookieOf(setCookie)}`)).toEqual({
      name: 'quinn',
      role: 'qa',
    });
    // The cookie is an opaque id: 32 random bytes and their 32-byte signature, base64url; the name is
    // in neither (as text or decoded), and the same user and role signing in again gets an unrelated
    // value. (A two-letter role such as "qa" turns up by chance in ~1 % of random ids, so it is not
    // searched for as text.)
    const value = cookieOf(setCookie).replace(/^cs_session=/, '');
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    for (const text of [
      value,
      ...value.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')),
    ])
      expect(text).not.toContain('quinn');
    const again = cookieOf(await signedIn(auth)).replace(/^cs_session=/, '');
    expect(again.slice(0, 43)).not.toBe(value.slice(0, 43));
  });

  it('adds Secure behind https, and always when configured', async () => {
    const behindProxy = await make().signIn(
      'quinn',
      'quinn-pass',
      new Headers({ 'x-forwarded-proto': 'https' }),
    );
    expect(behindProxy.type === 'signed-in' && behindProxy.setCookie).toMatch(/; Secure$/);
    const forced = await make({ cookieSecure: true }).signIn('quinn', 'quinn-pass', http);
    expect(forced.type === 'signed-in' && forced.setCookie).toMatch(/; Secure$/);
  });

  it('refuses a forged, garbled, expired or signed-out cookie, and one for a user no longer configured', async () => {
    const auth = make();
    const cookie = cookieOf(await signedIn(auth));
    const [name, value] = cookie.split('=');
    const [id, mac] = (value ?? '').split('.');
    expect(await auth.userFromCookieHeader(`${name}=${'x'.repeat(43)}.${mac}`)).toBeNull();
    expect(await auth.userFromCookieHeader(`${name}=${id}.${mac}x`)).toBeNull();
    for (const garbled of ['%', '%E0%A4%A', '...', 'a.b.c', `${id}`, '\u0000'])
      expect(await auth.userFromCookieHeader(`${name}=${garbled}`)).toBeNull();
    expect(await make({ secret: 'z'.repeat(43) }).userFromCookieHeader(cookie)).toBeNull();
    expect(await make({ users: [] }).userFromCookieHeader(cookie)).toBeNull();

    clock += 61_000;
    expect(await auth.userFromCookieHeader(cookie)).toBeNull();

    const fresh = cookieOf(await signedIn(auth));
    expect(await auth.userFromCookieHeader(fresh)).not.toBeNull();
    expect(await auth.signOut(new Headers({ cookie: fresh }))).toMatch(
      /^cs_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/,
    );
    expect(await auth.userFromCookieHeader(fresh)).toBeNull();
    // A new process over the same store (a restart) still refuses it.
    expect(await make().userFromCookieHeader(fresh)).toBeNull();
  });

  it('takes the role from the configuration, not the cookie', async () => {
    const cookie = cookieOf(await signedIn(make()));
    const demoted = make({ users: users.map((u) => ({ ...u, role: 'viewer' as const })) });
    expect(await demoted.userFromCookieHeader(cookie)).toEqual({ name: 'quinn', role: 'viewer' });
  });

  it('honours single-sign-on sessions only while that provider is configured, with its current mapping', async () => {
    const auth = make({ sso: SSO });
    const cookie = cookieOf(
      await auth.issueSsoSession({ name: 'root', issuer: SSO.issuer, roleClaims: ['perf-admins'] }, http),
    );
    expect(await auth.userFromCookieHeader(cookie)).toEqual({ name: 'root', role: 'admin' });
    // Single sign-on switched off, or another provider: the session is not honoured.
    expect(await make({ sso: null }).userFromCookieHeader(cookie)).toBeNull();
    expect(
      await make({ sso: { ...SSO, issuer: 'https://other.example' } }).userFromCookieHeader(cookie),
    ).toBeNull();
    // The mapping changed: the role follows it, and a user it no longer maps is out.
    const remapped = make({ sso: { ...SSO, roleOf: (c) => (c.includes('perf-admins') ? 'viewer' : null) } });
    expect(await remapped.userFromCookieHeader(cookie)).toEqual({ name: 'root', role: 'viewer' });
    expect(await make({ sso: { ...SSO, roleOf: () => null } }).userFromCookieHeader(cookie)).toBeNull();
  });
});

describe('sign-in', () => {
  it('refuses a wrong password and an unknown user alike', async () => {
    const auth = make();
    expect(await auth.signIn('quinn', 'nope', http)).toEqual({ type: 'refused', reason: 'bad-credentials' });
    expect(await auth.signIn('nobody', 'quinn-pass', http)).toEqual({
      type: 'refused',
      reason: 'bad-credentials',
    });
  });

  it('checks only a few of 25 concurrent wrong passwords and refuses the rest with a wait', async () => {
    const auth = make();
    const from = (address: string) => new Headers({ host: 'dash', [CLIENT_ADDRESS_HEADER]: address });
    const results = await Promise.all(
      Array.from({ length: 25 }, () => auth.signIn('quinn', 'wrong', from('10.0.0.1'))),
    );
    expect(results.filter((r) => r.type === 'refused' && r.reason === 'bad-credentials')).toHaveLength(3);
    expect(results.filter((r) => r.type === 'refused' && r.reason !== 'bad-credentials')).toHaveLength(22);
    // The guesser must wait even with the right password; the account's owner elsewhere need not.
    expect(await auth.signIn('quinn', 'quinn-pass', from('10.0.0.1'))).toMatchObject({
      type: 'refused',
      reason: 'throttled',
    });
    expect((await auth.signIn('quinn', 'quinn-pass', from('10.0.0.2'))).type).toBe('signed-in');
    clock += 2_000;
    expect((await auth.signIn('quinn', 'quinn-pass', from('10.0.0.1'))).type).toBe('signed-in');
  });
});

describe('users made in the UI', () => {
  /** A UI user record as cp_users holds it; the store's own reads are covered by users.int.test.ts. */
  const uiUser = async (
    name: string,
    role: 'viewer' | 'qa' | 'admin',
    password: string,
    disabled = false,
  ) => ({
    name,
    role,
    passwordHash: await hashPassword(password),
    disabled,
    createdBy: 'ada',
    createdAt: 0,
    updatedBy: 'ada',
    updatedAt: 0,
  });

  it('signs a UI user in, refuses a disabled one like a wrong password, and lets the environment win a name', async () => {
    const made = new Map([
      ['mia', await uiUser('mia', 'viewer', 'mia-password-1')],
      ['quinn', await uiUser('quinn', 'admin', 'quinn-ui-password')],
    ]);
    const fresh: boolean[] = [];
    const auth = make({
      uiUsers: {
        find: async (name, options) => {
          fresh.push(options?.fresh ?? false);
          return made.get(name) ?? null;
        },
      },
    });
    const signedInMia = await auth.signIn('mia', 'mia-password-1', http);
    if (signedInMia.type !== 'signed-in') throw new Error('mia was refused');
    expect(signedInMia.user).toEqual({ name: 'mia', role: 'viewer' });
    // Sign-in reads past the cache; a request's lookup may use it.
    expect(fresh).toEqual([true]);
    const cookie = cookieOf(signedInMia.setCookie);
    expect(await auth.userFromCookieHeader(cookie)).toEqual({ name: 'mia', role: 'viewer' });
    expect(fresh).toEqual([true, false]);

    // DASHBOARD_USERS' quinn shadows a UI record of the same name: its password, its role.
    expect(await auth.signIn('quinn', 'quinn-ui-password', http)).toEqual({
      type: 'refused',
      reason: 'bad-credentials',
    });
    expect((await auth.signIn('quinn', 'quinn-pass', http)).type).toBe('signed-in');

    made.set('mia', { ...(made.get('mia') as Awaited<ReturnType<typeof uiUser>>), disabled: true });
    expect(await auth.userFromCookieHeader(cookie)).toBeNull();
    expect(await auth.signIn('mia', 'mia-password-1', http)).toEqual({
      type: 'refused',
      reason: 'bad-credentials',
    });
  });
});
