// The admin's receivers and users through the load-test CLI (its own process) against the real
// dashboard process, with an admin API token: a webhook receiver added with its URL from the
// environment (never argv) is listed masked, tested (a loopback HTTP server gets the test alert;
// an erroring one exits 1) and removed; a user is created with a generated password (printed once,
// and it signs in), its role changed, its password reset (the old one refused, the new one works),
// disabled (sign-in refused). A qa token is refused with one line (3); bad flags exit 2 before the
// server hears anything; no secret or password reaches the audit log.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createApiToken } from '../support/cli-process.ts';
import {
  type DashboardServer,
  mutate,
  send,
  signInSession,
  startDashboardServer,
} from '../support/dashboard-server.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const ADMIN = TEST_USERS[2];
const SECRET = 'hook-s3cret-7c1e';
let dir: string;
let dashboard: DashboardServer;
let hook: Server;
let hookUrl = '';
/** A loopback "server" that only counts what reaches it: bad flags must send nothing. */
let probe: Server;
let probeUrl = '';
let probeHits = 0;
const received: { path: string; body: { alerts?: { labels: Record<string, string> }[] } }[] = [];
const tokens = { admin: '', qa: '' };
let adminCookie = '';

const as = (role: 'admin' | 'qa', extra: Record<string, string> = {}) => ({
  PERF_SERVER_URL: dashboard.url,
  PERF_TOKEN: tokens[role],
  ...extra,
});

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** auth.signIn's status from its own loopback address (refusals there throttle no one else). */
let source = 20;
const signInStatus = async (name: string, password: string) =>
  (await mutate(dashboard.url, 'auth.signIn', { name, password }, { from: `127.0.0.${source++}` })).status;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'admin-cli-'));
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body: JSON.parse(body || '{}') });
      if (req.url?.startsWith('/broken'))
        res.writeHead(500, { 'content-type': 'text/plain' }).end('disk full');
      else res.writeHead(202, { 'content-type': 'text/plain' }).end('thanks, queued');
    });
  });
  hookUrl = await listen(hook);
  probe = createServer((_req, res) => {
    probeHits++;
    res.writeHead(500).end();
  });
  probeUrl = await listen(probe);
  dashboard = await startDashboardServer(join(dir, 'data'), { DASHBOARD_USERS: await testUsersEnv() });
  adminCookie = await signInSession(dashboard.url, ADMIN.name, ADMIN.password);
  tokens.admin = (await createApiToken(dashboard.url, adminCookie, 'ops-admin', 'admin')).token;
  tokens.qa = (await createApiToken(dashboard.url, adminCookie, 'ops-qa', 'qa')).token;
}, 150_000);

afterAll(async () => {
  await dashboard?.stop();
  hook?.close();
  probe?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('receivers and users through the CLI with an admin token', () => {
  it('refuses bad flags with one line and exit 2 before any request', async () => {
    const env = { PERF_SERVER_URL: probeUrl, PERF_TOKEN: 'cpt_whatever', HOOK_URL: `${hookUrl}/x` };
    const bad: [string[], RegExp][] = [
      [
        ['receivers', 'add', 'x', '--kind', 'email', '--secret-env', 'HOOK_URL'],
        /needs --kind webhook\|slack/,
      ],
      [
        ['receivers', 'add', 'x', '--kind', 'webhook', '--secret-env', 'NOT_SET_ANYWHERE'],
        /NOT_SET_ANYWHERE.*not set/,
      ],
      [['receivers', 'add', 'x', '--kind', 'webhook', '--url', `${hookUrl}/x`], /Unknown option '--url'/],
      [['receivers', 'add', 'x', '--kind', 'webhook'], /needs --secret-env VAR/],
      [['receivers', 'remove'], /remove needs a receiver id/],
      [['receivers', 'purge'], /unknown subcommand purge/],
      [['users', 'create', 'bob', '--role', 'root'], /needs --role viewer\|qa\|admin/],
      [
        ['users', 'create', 'bob', '--role', 'qa', '--password', 'hunter2hunter2'],
        /Unknown option '--password'/,
      ],
      [['users', 'reset-password', 'bob', '--password-env', 'NOT_SET_ANYWHERE'], /not set/],
      [['users', 'role', 'bob', 'king'], /role needs a role/],
      [['users', 'disable'], /disable needs a user name/],
    ];
    for (const [args, message] of bad) {
      const r = await cli(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('(cli.ts --help for usage)');
    }
    expect(probeHits).toBe(0);
    // The same CLI does reach the server named (the probe answers 500: exit 3).
    const reached = await cli(['users', 'list'], env);
    expect(reached.code).toBe(3);
    expect(probeHits).toBeGreaterThan(0);
  }, 60_000);

  it('adds a webhook receiver from the environment, lists it masked, tests it and removes it', async () => {
    const secretUrl = `${hookUrl}/hook/${SECRET}`;
    const added = await cli(
      [
        'receivers',
        'add',
        'ops-hook',
        '--kind',
        'webhook',
        '--secret-env',
        'OPS_HOOK_URL',
        '--severity',
        'page',
      ],
      as('admin', { OPS_HOOK_URL: secretUrl }),
    );
    expect(added.code, added.stderr).toBe(0);
    const id = /^receiver ([A-Za-z0-9]{16}) added: /.exec(added.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(added.stdout + added.stderr).not.toContain(SECRET);

    const list = await cli(['receivers', 'list'], as('admin'));
    expect(list.code, list.stderr).toBe(0);
    const line = list.stdout.split('\n').find((l) => l.includes('ops-hook')) ?? '';
    expect(line).toMatch(
      new RegExp(
        `^${id}  ops-hook  webhook  \\S*127\\.0\\.0\\.1\\S*  severity=page  added by token:ops-admin at 20`,
      ),
    );
    expect(list.stdout).not.toContain(SECRET);

    const before = received.length;
    const tested = await cli(['receivers', 'test', 'ops-hook'], as('admin'));
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout.trim()).toBe('receiver ops-hook answered HTTP 202: thanks, queued');
    const got = received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]?.path).toBe(`/hook/${SECRET}`);
    expect(got[0]?.body.alerts?.[0]?.labels).toMatchObject({ alertname: 'TestNotification', test: 'true' });

    // A receiver that answers an error: printed, exit 1.
    const broken = await cli(
      ['receivers', 'add', 'broken-hook', '--kind', 'webhook', '--secret-env', 'BROKEN_URL'],
      as('admin', { BROKEN_URL: `${hookUrl}/broken` }),
    );
    expect(broken.code, broken.stderr).toBe(0);
    const brokenId = /^receiver (\w{16}) added/.exec(broken.stdout)?.[1] ?? '';
    const failed = await cli(['receivers', 'test', 'broken-hook'], as('admin'));
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe('receiver broken-hook answered an error: HTTP 500: disk full');
    const missing = await cli(['receivers', 'test', 'no-such-hook'], as('admin'));
    expect(missing.code).toBe(4);

    for (const [rid, name] of [
      [id, 'ops-hook'],
      [brokenId, 'broken-hook'],
    ]) {
      const removed = await cli(['receivers', 'remove', rid ?? ''], as('admin'));
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout.trim()).toBe(`receiver ${rid} (${name}) removed`);
    }
    const after = await cli(['receivers', 'list'], as('admin'));
    expect(after.stdout).not.toContain('ops-hook');
    expect((await cli(['receivers', 'remove', id], as('admin'))).code).toBe(4);
  }, 60_000);

  it('creates a user, changes its role, resets and disables it; passwords printed once', async () => {
    const created = await cli(['users', 'create', 'carol', '--role', 'viewer'], as('admin'));
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      /^user carol created \(viewer\): carol {2}viewer {2}enabled {2}added by token:ops-admin$/m,
    );
    const first = [...created.stdout.matchAll(/^password \(shown only now\): (\S+)$/gm)].map((m) => m[1]);
    expect(first).toHaveLength(1);
    const firstPassword = first[0] ?? '';
    expect(await signInStatus('carol', firstPassword)).toBe(200);

    const role = await cli(['users', 'role', 'carol', 'qa'], as('admin'));
    expect(role.code, role.stderr).toBe(0);
    expect(role.stdout).toMatch(/^user carol is qa/);
    expect(role.stdout).not.toContain('password');

    const reset = await cli(['users', 'reset-password', 'carol'], as('admin'));
    expect(reset.code, reset.stderr).toBe(0);
    const second = [...reset.stdout.matchAll(/^password \(shown only now\): (\S+)$/gm)].map((m) => m[1]);
    expect(second).toHaveLength(1);
    const newPassword = second[0] ?? '';
    expect(newPassword).not.toBe(firstPassword);
    expect(await signInStatus('carol', firstPassword)).toBe(401);
    const cookie = await signInSession(dashboard.url, 'carol', newPassword);
    const me = await send(`${dashboard.url}/api/trpc/auth.me`, { headers: { cookie } });
    expect(JSON.parse(me.body).result.data).toMatchObject({ name: 'carol', role: 'qa' });

    // A password from the environment is never printed.
    const chosen = 'dave-chosen-pass-42';
    const dave = await cli(
      ['users', 'create', 'dave', '--role', 'qa', '--password-env', 'DAVE_PASSWORD'],
      as('admin', { DAVE_PASSWORD: chosen }),
    );
    expect(dave.code, dave.stderr).toBe(0);
    expect(dave.stdout).not.toMatch(/password|dave-chosen/);
    expect(await signInStatus('dave', chosen)).toBe(200);

    const disabled = await cli(['users', 'disable', 'carol'], as('admin'));
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toMatch(/^user carol disabled/);
    expect(await signInStatus('carol', newPassword)).toBe(401);
    const list = await cli(['users', 'list'], as('admin'));
    expect(list.stdout).toMatch(/^carol {2}qa {2}DISABLED {2}added by token:ops-admin$/m);
    expect(list.stdout).toMatch(/^ada {2}admin {2}enabled {2}from DASHBOARD_USERS \(read-only\)$/m);
    const readOnly = await cli(['users', 'disable', 'ada'], as('admin'));
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toMatch(/^400: "ada" comes from the environment/);
    expect((await cli(['users', 'role', 'nobody', 'qa'], as('admin'))).code).toBe(4);
    const enabled = await cli(['users', 'enable', 'carol'], as('admin'));
    expect(enabled.stdout).toMatch(/^user carol enabled/);
    expect(await signInStatus('carol', newPassword)).toBe(200);

    // The audit log names every change, never a password or a receiver's secret.
    const audit = await send(
      `${dashboard.url}/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ actor: 'token:ops-admin' }))}`,
      { headers: { cookie: adminCookie } },
    );
    const actions = (JSON.parse(audit.body).result.data.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'receiver.add',
        'receiver.test',
        'user.create',
        'user.role',
        'user.password',
        'user.disable',
        'user.enable',
      ]),
    );
    for (const secret of [firstPassword, newPassword, chosen, SECRET])
      expect(audit.body).not.toContain(secret);
  }, 90_000);

  it('refuses a qa token with one line and exit 3', async () => {
    for (const args of [
      ['receivers', 'list'],
      ['users', 'list'],
      ['users', 'create', 'eve', '--role', 'admin'],
    ]) {
      const r = await cli(args, as('qa'));
      expect(r.code, r.stdout).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^403: token:ops-qa is a qa; this needs the admin role/);
      expect(r.stdout).toBe('');
    }
    expect(await signInStatus('eve', 'anything-at-all')).toBe(401);
  }, 30_000);
});
