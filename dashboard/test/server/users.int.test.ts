// Users managed in the UI, against the real dashboard process (node dashboard/server.ts, embedded
// chDB): an admin creates a user who signs in; a role change, a password reset and a disable each
// end the user's sessions; a disabled user is refused like a wrong password and can be enabled
// again; environment users are read-only and their names taken; no self-disable, never without an
// enabled admin (also after a restart that drops the environment's admin); bad input changes
// nothing; every change is audited without the password.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardServer, mutate, send, startDashboardServer } from '../support/dashboard-server.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const [VIEWER, QA, ADMIN] = TEST_USERS;
let dir: string;
let dashboard: DashboardServer;
let adminCookie: string;

interface Answered<T> {
  status: number;
  data: T;
  message: string;
  body: string;
}
interface UserView {
  name: string;
  role: string;
  source: 'environment' | 'ui';
  origin?: string;
  disabled: boolean;
}
interface Change {
  user: UserView;
  sessionsRevoked: number;
  changed: boolean;
  generatedPassword?: string;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-users-'));
  dashboard = await startDashboardServer(dir, { DASHBOARD_USERS: await testUsersEnv() });
  adminCookie = await signIn(ADMIN.name, ADMIN.password, '127.0.0.2');
});

afterAll(async () => {
  await dashboard?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function answered<T>(answer: { status: number; body: string }): Answered<T> {
  const json = JSON.parse(answer.body) as { result?: { data: T }; error?: { message: string } };
  return {
    status: answer.status,
    data: json.result?.data as T,
    message: json.error?.message ?? '',
    body: answer.body,
  };
}

/** A users.* (or other) mutation as `cookie`'s user. */
const call = async <T = Change>(path: string, input: unknown, cookie = adminCookie) =>
  answered<T>(await mutate(dashboard.url, path, input, { cookie }));

const query = async <T>(path: string, cookie: string, input?: unknown) =>
  answered<T>(
    await send(
      `${dashboard.url}/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
      { headers: { cookie } },
    ),
  );

/** Signs in from a loopback address of its own (the throttle counts failures per client). */
async function trySignIn(name: string, password: string, from = '127.0.0.3') {
  const answer = await mutate(dashboard.url, 'auth.signIn', { name, password }, { from });
  const raw = answer.headers['set-cookie'];
  const cookie = (Array.isArray(raw) ? raw : raw ? [raw] : [])
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('cs_session=') && c !== 'cs_session=');
  return { ...answered<{ name: string; role: string }>(answer), cookie: cookie ?? '' };
}

async function signIn(name: string, password: string, from?: string): Promise<string> {
  const result = await trySignIn(name, password, from);
  if (result.status !== 200 || !result.cookie) throw new Error(`sign-in as ${name}: ${result.body}`);
  return result.cookie;
}

const me = async (cookie: string) =>
  (await query<{ name: string; role: string } | null>('auth.me', cookie)).data;
const list = async () => (await query<UserView[]>('users.list', adminCookie)).data;

describe('users in the UI on the running dashboard', () => {
  it('create → sign in → role change, password reset, disable (each ends the sessions) → enable', async () => {
    const created = await call('users.create', {
      name: 'mia',
      role: 'viewer',
      password: 'mia-first-password',
    });
    expect(created.status, created.body).toBe(200);
    expect(created.data).toMatchObject({
      user: { name: 'mia', role: 'viewer', source: 'ui', disabled: false },
    });
    expect(created.data.generatedPassword).toBeUndefined();

    let cookie = await signIn('mia', 'mia-first-password');
    expect(await me(cookie)).toEqual({ name: 'mia', role: 'viewer' });
    expect((await query('users.list', cookie)).status).toBe(403);

    const promoted = await call('users.setRole', { name: 'mia', role: 'qa' });
    expect(promoted.status, promoted.body).toBe(200);
    expect(promoted.data).toMatchObject({ user: { role: 'qa' }, sessionsRevoked: 1 });
    expect(await me(cookie)).toBeNull();
    cookie = await signIn('mia', 'mia-first-password');
    expect(await me(cookie)).toEqual({ name: 'mia', role: 'qa' });

    const reset = await call('users.resetPassword', { name: 'mia' });
    expect(reset.status, reset.body).toBe(200);
    expect(reset.data.sessionsRevoked).toBe(1);
    const generated = reset.data.generatedPassword ?? '';
    expect(generated).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await me(cookie)).toBeNull();
    const old = await trySignIn('mia', 'mia-first-password');
    expect([old.status, old.message]).toEqual([401, 'wrong user name or password']);
    cookie = await signIn('mia', generated);

    const disabled = await call('users.setDisabled', { name: 'mia', disabled: true });
    expect(disabled.status, disabled.body).toBe(200);
    expect(disabled.data).toMatchObject({ user: { disabled: true }, sessionsRevoked: 1 });
    expect(await me(cookie)).toBeNull();
    // Refused as a wrong password is: the answer does not tell a disabled account from a bad guess.
    const refused = await trySignIn('mia', generated);
    expect([refused.status, refused.message]).toEqual([401, 'wrong user name or password']);

    const enabled = await call('users.setDisabled', { name: 'mia', disabled: false });
    expect(enabled.data).toMatchObject({ user: { disabled: false }, sessionsRevoked: 0 });
    expect(await me(await signIn('mia', generated, '127.0.0.4'))).toEqual({ name: 'mia', role: 'qa' });

    const users = await list();
    expect(users.map((u) => [u.name, u.source, u.role])).toEqual([
      [VIEWER.name, 'environment', 'viewer'],
      [QA.name, 'environment', 'qa'],
      [ADMIN.name, 'environment', 'admin'],
      ['mia', 'ui', 'qa'],
    ]);
    expect(users[0]?.origin).toBe('DASHBOARD_USERS');
    expect(JSON.stringify(users)).not.toMatch(/scrypt/);

    const audit = await query<{ entries: { action: string; target: string; details: object }[] }>(
      'audit.list',
      adminCookie,
      { actor: ADMIN.name },
    );
    const mine = audit.data.entries.filter((e) => e.target === 'mia');
    expect(mine.map((e) => e.action).reverse()).toEqual([
      'user.create',
      'user.role',
      'user.password',
      'user.disable',
      'user.enable',
    ]);
    expect(mine.find((e) => e.action === 'user.role')?.details).toEqual({
      from: 'viewer',
      to: 'qa',
      sessionsRevoked: 1,
    });
    expect(audit.body).not.toContain('mia-first-password');
    expect(audit.body).not.toContain(generated);
  });

  it('refuses environment names and changes, self-disable, unknown users, non-admins and bad input', async () => {
    const before = await list();
    const taken = await call('users.create', { name: QA.name, role: 'qa', password: 'another-password' });
    expect([taken.status, taken.message]).toEqual([
      409,
      `"${QA.name}" is a user from the environment (DASHBOARD_USERS): pick another name`,
    ]);
    const envChange = await call('users.setRole', { name: QA.name, role: 'admin' });
    expect([envChange.status, envChange.message]).toEqual([
      400,
      `"${QA.name}" comes from the environment (DASHBOARD_USERS) and is read-only here`,
    ]);
    const self = await call('users.setDisabled', { name: ADMIN.name, disabled: true });
    expect([self.status, self.message]).toEqual([400, 'you cannot disable yourself: ask another admin']);
    const unknown = await call('users.resetPassword', { name: 'nobody' });
    expect([unknown.status, unknown.message]).toEqual([404, 'no user "nobody"']);

    const short = await call('users.create', { name: 'sam', role: 'qa', password: 'short-pass' });
    expect(short.status).toBe(400);
    expect(short.body).toContain('a password has at least 12 characters');
    const badName = await call('users.create', { name: 'sam smith', role: 'qa' });
    expect(badName.status).toBe(400);
    expect(badName.body).toContain('a user name is 1–64 letters, digits or . _ @ -');
    const badRole = await call('users.create', { name: 'sam', role: 'root' });
    expect(badRole.status).toBe(400);
    expect(badRole.body).toContain('role must be one of viewer, qa, admin');

    const viewerCookie = await signIn(VIEWER.name, VIEWER.password, '127.0.0.5');
    const byViewer = await call('users.create', { name: 'sam', role: 'admin' }, viewerCookie);
    expect(byViewer.status).toBe(403);
    expect((await query('users.list', viewerCookie)).status).toBe(403);
    const qaCookie = await signIn(QA.name, QA.password, '127.0.0.5');
    expect((await call('users.setRole', { name: 'mia', role: 'admin' }, qaCookie)).status).toBe(403);

    expect(await list()).toEqual(before);
  });

  it('keeps UI users across a restart and never leaves no enabled admin', async () => {
    const olga = await call('users.create', { name: 'olga', role: 'admin' });
    expect(olga.status, olga.body).toBe(200);
    const olgaPassword = olga.data.generatedPassword ?? '';
    // Restarted without an admin in the environment: olga, from the store, is the only one.
    await dashboard.stop();
    const withoutAdmin = (await testUsersEnv()).split(',').slice(0, 2).join(',');
    dashboard = await startDashboardServer(dir, { DASHBOARD_USERS: withoutAdmin });
    adminCookie = await signIn('olga', olgaPassword, '127.0.0.6');

    const demote = await call('users.setRole', { name: 'olga', role: 'viewer' });
    expect([demote.status, demote.message]).toEqual([
      400,
      '"olga" is the last enabled admin: make another admin first',
    ]);
    const pat = await call('users.create', { name: 'pat', role: 'admin', password: 'pat-admin-password' });
    expect(pat.status, pat.body).toBe(200);
    const patCookie = await signIn('pat', 'pat-admin-password', '127.0.0.6');
    // With pat an admin, olga may step down (and is signed out by it).
    expect((await call('users.setRole', { name: 'olga', role: 'qa' })).status).toBe(200);
    expect(await me(adminCookie)).toBeNull();
    adminCookie = patCookie;
    const last = await call('users.setRole', { name: 'pat', role: 'qa' });
    expect([last.status, last.message]).toEqual([
      400,
      '"pat" is the last enabled admin: make another admin first',
    ]);
    expect((await list()).find((u) => u.name === 'mia')).toMatchObject({ role: 'qa', source: 'ui' });
  });
});
