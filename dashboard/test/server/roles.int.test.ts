// Roles and sessions through the real API: createCaller with users of each role, and the route
// handler with real session cookies, CSRF checks and the audit log in the real store (chDB).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET, POST } from '../../src/app/api/trpc/[trpc]/route.ts';
import { parseDashboardEnv } from '../../src/env.ts';
import type { SessionUser } from '../../src/lib/roles.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { registerServices, unregisterServices } from '../../src/server/services.ts';
import { signInCookie, TEST_USERS, testUsersEnv } from '../support/users.ts';

const TARGET = 'http://127.0.0.1:9';
const [VIEWER, QA, ADMIN] = TEST_USERS;
let dir: string;
let running: RunningServices;

const as = (user: SessionUser | null) =>
  createCaller({ services: running.services, headers: new Headers(), user });
const viewer = () => as({ name: VIEWER.name, role: VIEWER.role });
const qa = () => as({ name: QA.name, role: QA.role });
const admin = () => as({ name: ADMIN.name, role: ADMIN.role });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-roles-'));
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    COLLECTOR_PORT: '0',
    TARGET_URL: TARGET,
    PORT: '0',
    DASHBOARD_USERS: await testUsersEnv(),
  });
  running = await startServices(env, () => undefined);
  registerServices(running.services);
});

afterAll(async () => {
  unregisterServices();
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

const smoke = { scenario: 'smoke', params: { vus: 1, duration: '30s', target: TARGET } };

function mutation(path: string, body: unknown, headers: Record<string, string>) {
  return POST(
    new Request(`http://dashboard/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'dashboard', ...headers },
      body: JSON.stringify(body),
    }),
  );
}
const codeOf = async (res: Response) =>
  ((await res.json()) as { error?: { data: { code: string } } }).error?.data.code;

describe('roles through createCaller', () => {
  it('lets nobody read without signing in', async () => {
    await expect(as(null).runs.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await as(null).auth.me()).toBeNull();
  });

  it('lets a viewer read but not launch, stop or read the audit log', async () => {
    expect((await viewer().runs.catalogue()).targets).toEqual([TARGET]);
    await expect(viewer().runs.launch(smoke)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/vera is a viewer; this needs the qa role/),
    });
    await expect(viewer().runs.stop({ id: 'any' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewer().audit.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await viewer().runs.list()).runs).toEqual([]);
  });

  it('lets qa launch and stop a run, recorded in the audit log under their name', async () => {
    const run = await qa().runs.launch(smoke);
    expect(run.launchedBy).toBe(QA.name);
    await qa().runs.stop({ id: run.id });
    await running.services.launcher.whenEnded(run.id);
    await expect(qa().audit.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const { entries } = await admin().audit.list({ actor: QA.name });
    expect(entries.map((e) => [e.action, e.target, e.role])).toEqual([
      ['run.stop', run.id, 'qa'],
      ['run.launch', run.id, 'qa'],
    ]);
    expect(entries[1]?.details).toMatchObject({ scenario: 'smoke', params: smoke.params });
    expect(entries[0]?.at).toBeGreaterThan(Date.now() - 60_000);
    const launches = await admin().audit.list({ action: 'run.launch' });
    expect(launches.entries).toHaveLength(1);
  });
});

describe('sessions and CSRF over HTTP', () => {
  it('signs in with a cookie the API then honours, and refuses a viewer launch with 403', async () => {
    const cookie = await signInCookie(POST, VIEWER.name, VIEWER.password);
    const me = await GET(new Request('http://dashboard/api/trpc/auth.me', { headers: { cookie } }));
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toEqual({
      name: 'vera',
      role: 'viewer',
    });

    const refused = await mutation('runs.launch', smoke, { cookie, 'x-trpc-source': 'test' });
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe('FORBIDDEN');
    expect((await qa().runs.list()).runs.every((r) => r.launchedBy !== VIEWER.name)).toBe(true);
  });

  it('answers 401 to a request without a session', async () => {
    const res = await GET(new Request('http://dashboard/api/trpc/runs.list'));
    expect(res.status).toBe(401);
  });

  it('refuses mutations without the CSRF header or from another origin, even for qa', async () => {
    const cookie = await signInCookie(POST, QA.name, QA.password);
    const before = (await qa().runs.list()).runs.length;
    const noHeader = await mutation('runs.launch', smoke, { cookie });
    expect(noHeader.status).toBe(403);
    const crossSite = await mutation('runs.launch', smoke, {
      cookie,
      'x-trpc-source': 'test',
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: { message: string } }).error.message).toMatch(/cross-site/);
    expect((await qa().runs.list()).runs).toHaveLength(before);
  });

  it('records failed sign-ins and refuses them with 401, without a cookie', async () => {
    const res = await mutation(
      'auth.signIn',
      { name: QA.name, password: 'guess' },
      { 'x-trpc-source': 'test' },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    const { entries } = await admin().audit.list({ action: 'sign-in-failed' });
    expect(entries[0]).toMatchObject({ actor: QA.name, role: '', details: { reason: 'bad-credentials' } });
    const signIns = await admin().audit.list({ action: 'sign-in', actor: VIEWER.name });
    expect(signIns.entries.length).toBeGreaterThanOrEqual(1);
  });

  it('signs out: the same cookie no longer works', async () => {
    const cookie = await signInCookie(POST, ADMIN.name, ADMIN.password);
    const out = await mutation('auth.signOut', {}, { cookie, 'x-trpc-source': 'test' });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^cs_session=; .*Max-Age=0/);
    const res = await GET(new Request('http://dashboard/api/trpc/runs.list', { headers: { cookie } }));
    expect(res.status).toBe(401);
  });
});
