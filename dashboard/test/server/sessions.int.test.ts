// The session attacks of issue 15 against the real dashboard process and its store (embedded
// chDB): a forged single-sign-on cookie while single sign-on is off, a signed-out cookie after a
// restart, a role that must follow the current users, and garbled cookies on every route.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSessionToken, signToken } from '../../src/server/auth/session-cookie.ts';
import {
  cookieOf,
  type DashboardServer,
  mutate,
  send,
  startDashboardServer,
} from '../support/dashboard-server.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const [, QA, ADMIN] = TEST_USERS;
const SECRET = 's'.repeat(48);
let dir: string;
let dashboard: DashboardServer;

const start = async (users: string) =>
  startDashboardServer(dir, { DASHBOARD_USERS: users, SESSION_SECRET: SECRET });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-sessions-'));
  dashboard = await start(await testUsersEnv());
});

afterAll(async () => {
  await dashboard?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, cookie: string) => send(`${dashboard.url}${path}`, { headers: { cookie } });
const me = async (cookie: string) =>
  (JSON.parse((await get('/api/trpc/auth.me', cookie)).body) as { result: { data: unknown } }).result.data;

async function signIn(name: string, password: string): Promise<string> {
  const answer = await mutate(dashboard.url, 'auth.signIn', { name, password });
  const cookie = cookieOf(answer);
  if (answer.status !== 200 || !cookie)
    throw new Error(`sign-in as ${name}: ${answer.status} ${answer.body}`);
  return cookie;
}

describe('sessions against the running dashboard', () => {
  it('refuses a cookie shaped like a single-sign-on session while single sign-on is off', async () => {
    // What the old signed cookie carried (and what a leaked session key let anyone write) …
    const claimsAdmin = signToken(
      { sid: 'f'.repeat(24), name: 'ghost', exp: Date.now() + 3_600_000, idp: 'oidc', role: 'admin' },
      SECRET,
    );
    // … and a well-MAC'd session id that no session record stands behind.
    const noRecord = newSessionToken(SECRET).token;
    for (const value of [claimsAdmin, noRecord]) {
      const cookie = `cs_session=${value}`;
      expect((await get('/api/trpc/audit.list?input=%7B%7D', cookie)).status).toBe(401);
      expect(await me(cookie)).toBeNull();
      const page = await get('/audit', cookie);
      expect(page.status).toBe(307);
      expect(page.headers.location).toMatch(/\/signin/);
    }
  });

  it('keeps a sign-out after a restart, and takes the role from the users configured now', async () => {
    const signedOut = await signIn(ADMIN.name, ADMIN.password);
    const kept = await signIn(ADMIN.name, ADMIN.password);
    const qa = await signIn(QA.name, QA.password);
    expect((await mutate(dashboard.url, 'auth.signOut', {}, { cookie: signedOut })).status).toBe(200);
    expect(await me(signedOut)).toBeNull();

    await dashboard.stop();
    // Restarted with the qa user demoted to viewer.
    const demoted = (await testUsersEnv()).replace(`${QA.name}:qa:`, `${QA.name}:viewer:`);
    dashboard = await start(demoted);

    expect(await me(signedOut)).toBeNull();
    expect((await get('/api/trpc/runs.list', signedOut)).status).toBe(401);
    expect(await me(kept)).toEqual({ name: ADMIN.name, role: 'admin' });
    expect(await me(qa)).toEqual({ name: QA.name, role: 'viewer' });
  });

  it('answers a garbled cookie like no cookie (401 or the sign-in page), never 500, on every route', async () => {
    const garbled = [
      'cs_session=%',
      'cs_session=%E0%A4%A',
      'cs_session=a.b.c',
      `cs_session=${'%zz'.repeat(200)}`,
      'cs_session=eyJ9.%',
      'cs_oidc_flow=%; cs_session=%',
    ];
    for (const cookie of garbled) {
      const api = await get('/api/trpc/runs.list', cookie);
      expect(api.status, `${cookie} on runs.list`).toBe(401);
      expect((await get('/api/trpc/auth.me', cookie)).status).toBe(200);
      expect((await get('/api/runs/some-run/export?format=json', cookie)).status).toBe(401);
      expect((await get('/api/auth/oidc/callback?code=x&state=y', cookie)).status).toBe(404);
      expect((await get('/signin', cookie)).status).toBe(200);
      for (const page of ['/', '/runs', '/audit']) {
        const answer = await get(page, cookie);
        expect(answer.status, `${cookie} on ${page}`).toBe(307);
        expect(answer.headers.location).toMatch(/\/signin/);
      }
      const signOut = await mutate(dashboard.url, 'auth.signOut', {}, { cookie });
      expect(signOut.status).toBe(200);
    }
  });
});
