// Single sign-on against a real OpenID Connect provider (panva's oidc-provider, the certified
// reference implementation, with its development login pages): the dashboard's login and
// callback route handlers, role mapping from the `groups` claim, the session and the audit log.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as oidcCallback } from '../../src/app/api/auth/oidc/callback/route.ts';
import { GET as oidcLogin } from '../../src/app/api/auth/oidc/login/route.ts';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { registerServices, unregisterServices } from '../../src/server/services.ts';

const DASHBOARD = 'http://dashboard.test';
const GROUPS: Record<string, string[]> = {
  alice: ['perf-qa', 'staff'],
  root: ['perf-admins'],
  mallory: ['staff'],
};
let dir: string;
let idp: Server;
let issuer: string;
let running: RunningServices;

beforeAll(async () => {
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'perf-dashboard',
        client_secret: 'perf-dashboard-test-secret',
        redirect_uris: [`${DASHBOARD}/api/auth/oidc/callback`],
      },
    ],
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        claims: async () => ({ sub: id, preferred_username: id, groups: GROUPS[id] ?? [] }),
      };
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'groups'], email: ['email'] },
    cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
  });
  idp.on('request', provider.callback());

  dir = mkdtempSync(join(tmpdir(), 'dashboard-oidc-'));
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    COLLECTOR_ENABLED: 'false',
    PORT: '0',
    TARGET_URL: 'http://127.0.0.1:9',
    PUBLIC_URL: DASHBOARD,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: 'perf-dashboard',
    OIDC_CLIENT_SECRET: 'perf-dashboard-test-secret',
    OIDC_ROLES: 'qa:perf-qa,admin:perf-admins',
    OIDC_DEFAULT_ROLE: 'none',
  });
  running = await startServices(env, () => undefined);
  registerServices(running.services);
});

afterAll(async () => {
  unregisterServices();
  await running?.close();
  idp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A browser's cookie jar, good enough for two hosts that never share cookie names. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  get = (name: string) => this.cookies.get(name);
}

/** Signs in at the provider's development pages as `login`; returns the dashboard callback URL it sends the browser to. */
async function throughProvider(start: string, login: string, jar: Jar): Promise<string> {
  let url = start;
  for (let hop = 0; hop < 12; hop++) {
    if (url.startsWith(DASHBOARD)) return url;
    const page = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.take(page);
    const location = page.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await page.text();
    const action = /action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${url}: ${page.status} ${html.slice(0, 300)}`);
    const form = html.includes('name="login"')
      ? new URLSearchParams({ prompt: 'login', login, password: 'any' })
      : new URLSearchParams({ prompt: 'consent' });
    const posted = await fetch(new URL(action, url), {
      method: 'POST',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    jar.take(posted);
    url = new URL(posted.headers.get('location') ?? '', url).href;
  }
  throw new Error('the provider never sent the browser back');
}

async function signInWithSso(login: string, next = '/load-tests') {
  const jar = new Jar();
  const started = await oidcLogin(
    new Request(`${DASHBOARD}/api/auth/oidc/login?next=${encodeURIComponent(next)}`),
  );
  expect(started.status).toBe(302);
  jar.take(started);
  const callback = await throughProvider(started.headers.get('location') ?? '', login, jar);
  const finished = await oidcCallback(new Request(callback, { headers: { cookie: jar.header() } }));
  jar.take(finished);
  return { finished, jar };
}

describe('single sign-on', () => {
  it('signs in through the provider, with the role its groups claim maps to', async () => {
    const { finished, jar } = await signInWithSso('alice');
    expect(finished.status).toBe(302);
    expect(finished.headers.get('location')).toBe('/load-tests');
    expect(finished.headers.getSetCookie().find((c) => c.startsWith('cs_session='))).toMatch(
      /HttpOnly; SameSite=Lax/,
    );
    const user = await running.services.auth.userFromCookieHeader(`cs_session=${jar.get('cs_session')}`);
    expect(user).toEqual({ name: 'alice', role: 'qa' });

    const admin = createCaller({
      services: running.services,
      headers: new Headers(),
      user: { name: 'x', role: 'admin' },
    });
    const { entries } = await admin.audit.list({ actor: 'alice', action: 'sign-in' });
    expect(entries[0]?.details).toMatchObject({ via: 'oidc', issuer });
  });

  it('gives the highest role any group grants', async () => {
    const { jar } = await signInWithSso('root', '/');
    expect(await running.services.auth.userFromCookieHeader(`cs_session=${jar.get('cs_session')}`)).toEqual({
      name: 'root',
      role: 'admin',
    });
  });

  it('refuses a user with no mapped group when OIDC_DEFAULT_ROLE=none, and records it', async () => {
    const { finished } = await signInWithSso('mallory');
    expect(finished.headers.get('location')).toBe(
      `/signin?error=${encodeURIComponent('no dashboard role for mallory')}`,
    );
    expect(finished.headers.getSetCookie().some((c) => c.startsWith('cs_session='))).toBe(false);
    const admin = createCaller({
      services: running.services,
      headers: new Headers(),
      user: { name: 'x', role: 'admin' },
    });
    const { entries } = await admin.audit.list({ actor: 'mallory', action: 'sign-in-failed' });
    expect(entries).toHaveLength(1);
  });

  it('refuses a callback without the flow cookie (a forged or replayed redirect)', async () => {
    const jar = new Jar();
    const started = await oidcLogin(new Request(`${DASHBOARD}/api/auth/oidc/login`));
    jar.take(started);
    const callback = await throughProvider(started.headers.get('location') ?? '', 'alice', jar);
    const finished = await oidcCallback(new Request(callback));
    expect(finished.headers.get('location')).toMatch(/^\/signin\?error=sign-in%20expired/);
    expect(finished.headers.getSetCookie().some((c) => c.startsWith('cs_session='))).toBe(false);
  });
});
