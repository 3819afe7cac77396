// API tokens against the real dashboard process (node dashboard/server.ts, embedded chDB): an admin
// creates them (shown once), they act with their role over `Authorization: Bearer` on the tRPC
// endpoint and the REST export route, a revoked or made-up one gets 401 with a one-line reason,
// and every use is in the audit log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DashboardServer,
  mutate,
  send,
  signInSession,
  startDashboardServer,
} from '../support/dashboard-server.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const [VIEWER, QA, ADMIN] = TEST_USERS;
let dir: string;
let dashboard: DashboardServer;
let adminCookie: string;

interface Created {
  token: string;
  record: { id: string; name: string; role: string; state: string };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-api-tokens-'));
  dashboard = await startDashboardServer(dir, { DASHBOARD_USERS: await testUsersEnv() });
  adminCookie = await signIn(ADMIN.name, ADMIN.password);
});

afterAll(async () => {
  await dashboard?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const signIn = (name: string, password: string) => signInSession(dashboard.url, name, password);

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A tRPC query; `input` as the tRPC client sends it (JSON in ?input=). */
const query = (path: string, headers: Record<string, string>, input?: unknown) =>
  send(
    `${dashboard.url}/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
    { headers },
  );

/** A tRPC mutation with only the given headers (a Bearer client sends no CSRF header). */
const post = (path: string, headers: Record<string, string>, input: unknown) =>
  send(`${dashboard.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });

const messageOf = (body: string) => (JSON.parse(body) as { error: { message: string } }).error.message;

async function create(name: string, role: string): Promise<Created> {
  const answer = await mutate(
    dashboard.url,
    'tokens.create',
    { name, role, expiresInDays: 30 },
    { cookie: adminCookie },
  );
  expect(answer.status, answer.body).toBe(200);
  return (JSON.parse(answer.body) as { result: { data: Created } }).result.data;
}

describe('API tokens on the running dashboard', () => {
  it('acts with the token’s role, refuses what the role cannot do, and shows the secret only once', async () => {
    const viewer = await create('dash-reader', 'viewer');
    const qa = await create('ci-launcher', 'qa');
    expect(viewer.token).toMatch(/^cpt_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(qa.record).toMatchObject({ name: 'ci-launcher', role: 'qa', state: 'active' });

    const listed = await query('tokens.list', { cookie: adminCookie });
    expect(listed.status).toBe(200);
    expect(listed.body).toContain('ci-launcher');
    expect(listed.body).not.toContain(qa.token.slice(-43));
    expect(listed.body).not.toContain(viewer.token.slice(-43));

    // A viewer token reads …
    const me = await query('auth.me', bearer(viewer.token));
    expect(JSON.parse(me.body).result.data).toEqual({ name: 'token:dash-reader', role: 'viewer' });
    expect((await query('runs.list', bearer(viewer.token))).status).toBe(200);
    // … but may not launch, nor manage tokens — even when an admin's cookie rides along.
    const launch = await post('runs.launch', bearer(viewer.token), { scenario: 'smoke', params: {} });
    expect(launch.status).toBe(403);
    expect(messageOf(launch.body)).toMatch(/token:dash-reader is a viewer; this needs the qa role/);
    const withCookie = await query('tokens.list', { ...bearer(viewer.token), cookie: adminCookie });
    expect(withCookie.status).toBe(403);

    // A qa token's mutation passes without the CSRF header (it carries no cookie): the launch is
    // refused only for its parameters (no such scenario), not for who sent it.
    const qaLaunch = await post('runs.launch', bearer(qa.token), { scenario: 'nope', params: {} });
    expect(qaLaunch.status, qaLaunch.body).toBe(400);
    // Without a token the CSRF rule for cookie sessions still applies: no header, refused.
    expect((await post('runs.launch', {}, { scenario: 'nope', params: {} })).status).toBe(403);
    // Tokens are admin business.
    expect(
      (await post('tokens.create', bearer(qa.token), { name: 'x', role: 'admin', expiresInDays: 1 })).status,
    ).toBe(403);
    const qaCookie = await signIn(QA.name, QA.password);
    expect(
      (
        await mutate(
          dashboard.url,
          'tokens.create',
          { name: 'x', role: 'admin', expiresInDays: 1 },
          { cookie: qaCookie },
        )
      ).status,
    ).toBe(403);

    // The REST export takes a token too: past auth, the run is simply unknown.
    const exported = await send(`${dashboard.url}/api/runs/run_nope/export?format=json`, {
      headers: bearer(viewer.token),
    });
    expect(exported.status).toBe(404);
  });

  it('refuses a revoked, unknown or malformed token with 401 and a one-line reason', async () => {
    const token = await create('to-revoke', 'qa');
    expect((await query('runs.list', bearer(token.token))).status).toBe(200);
    const revoked = await mutate(
      dashboard.url,
      'tokens.revoke',
      { id: token.record.id },
      { cookie: adminCookie },
    );
    expect(revoked.status).toBe(200);

    const refused = await query('runs.list', bearer(token.token));
    expect(refused.status).toBe(401);
    expect(messageOf(refused.body)).toBe(`API token "to-revoke" was revoked by ${ADMIN.name}`);
    // Every procedure refuses it, the public ones included.
    expect((await query('auth.me', bearer(token.token))).status).toBe(401);
    const rest = await send(`${dashboard.url}/api/runs/run_nope/export?format=json`, {
      headers: bearer(token.token),
    });
    expect(rest.status).toBe(401);
    expect(rest.body).toBe(`API token "to-revoke" was revoked by ${ADMIN.name}\n`);

    const [, id = ''] = token.token.split('_');
    const unknown = await query('runs.list', bearer(`cpt_${id}_${'A'.repeat(43)}`));
    expect(unknown.status).toBe(401);
    expect(messageOf(unknown.body)).toBe('unknown API token');
    const malformed = await query('runs.list', bearer('letmein'));
    expect(messageOf(malformed.body)).toMatch(/^malformed API token/);
    const basic = await query('runs.list', { authorization: 'Basic YWRhOmFkYQ==' });
    expect(basic.status).toBe(401);
    expect(messageOf(basic.body)).toBe('the Authorization header must be Bearer <API token>');
  });

  it('audits creation, revocation, every use and each refusal of a known token', async () => {
    const token = await create('audited', 'viewer');
    await query('runs.list', bearer(token.token));
    await query('runs.catalogue', bearer(token.token));
    await mutate(dashboard.url, 'tokens.revoke', { id: token.record.id }, { cookie: adminCookie });
    await query('runs.list', bearer(token.token));

    const entries = async (action: string) => {
      const answer = await query('audit.list', { cookie: adminCookie }, { action, actor: 'token:audited' });
      return (
        JSON.parse(answer.body) as { result: { data: { entries: { target: string; details: object }[] } } }
      ).result.data.entries;
    };
    const uses = await entries('token.use');
    expect(uses.map((e) => e.target).sort()).toEqual(['trpc runs.catalogue', 'trpc runs.list']);
    expect(uses[0]?.details).toEqual({ tokenId: token.record.id });
    const refusals = await entries('token.refused');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.details).toEqual({ tokenId: token.record.id, reason: 'revoked' });

    const byAdmin = async (action: string) =>
      (
        JSON.parse(
          (await query('audit.list', { cookie: adminCookie }, { action, actor: ADMIN.name })).body,
        ) as { result: { data: { entries: { target: string }[] } } }
      ).result.data.entries.map((e) => e.target);
    expect(await byAdmin('token.create')).toContain(token.record.id);
    expect(await byAdmin('token.revoke')).toContain(token.record.id);
    // A viewer's session cannot read any of it.
    const viewerCookie = await signIn(VIEWER.name, VIEWER.password);
    expect((await query('tokens.list', { cookie: viewerCookie })).status).toBe(403);
  });
});
