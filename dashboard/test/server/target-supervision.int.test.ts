// The control plane outlives the system it watches (issue 17): the dashboard process runs the
// target app as `npm start` does (SUPERVISE_TARGET), the target is SIGKILLed during a load-test run,
// and then the dashboard stays up, the run ends failed with "target exited: SIGKILL", TargetExited
// pages the test receiver, and the target is started again. (TargetDown, from failed scrapes, need
// not fire: the target is usually back within two seconds.)
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  type DashboardServer,
  mutate,
  send,
  startDashboardServer,
} from '../support/dashboard-server.ts';
import { freePort } from '../support/target-process.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const [, QA] = TEST_USERS;
let dir: string;
let dashboard: DashboardServer;
let targetUrl: string;
let cookie: string;

interface Notification {
  status: string;
  alerts: { status: string; labels: Record<string, string> }[];
}
const notifications: Notification[] = [];
const receiver = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => {
    notifications.push(JSON.parse(body) as Notification);
    res.end('ok');
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}:\n${dashboard.output()}`);
    await sleep(250);
  }
}

/** Pids of the dashboard's child processes running the target app. */
function targetPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return (
          ppid === dashboard.pid &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('target-app/src/main.ts')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const healthy = async () => {
  try {
    return (await fetch(`${targetUrl}/health`)).ok ? true : undefined;
  } catch {
    return undefined;
  }
};

async function run(id: string): Promise<{ state: string; reason?: string }> {
  const answer = await send(
    `${dashboard.url}/api/trpc/runs.get?input=${encodeURIComponent(JSON.stringify({ id }))}`,
    {
      headers: { cookie },
    },
  );
  return (JSON.parse(answer.body) as { result: { data: { state: string; reason?: string } } }).result.data;
}

const paged = (alertname: string) =>
  notifications
    .flatMap((n) => n.alerts)
    .find((a) => a.labels.alertname === alertname && a.status === 'firing');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-supervision-'));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${await freePort()}`;
  // The rules about the target's process only: the test waits for TargetExited's page.
  const rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  for (const file of ['scrape.yaml', 'supervisor.yaml'])
    cpSync(
      fileURLToPath(new URL(`../../../alert-rules/rules/${file}`, import.meta.url)),
      join(rulesDir, file),
    );
  dashboard = await startDashboardServer(dir, {
    DASHBOARD_USERS: await testUsersEnv(),
    SUPERVISE_TARGET: 'true',
    TARGET_URL: targetUrl,
    RULES_DIR: rulesDir,
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    COLLECTOR_SCRAPE_TARGETS: JSON.stringify([
      { job: 'car-suggester', url: `${targetUrl}/metrics`, interval: '1s', timeout: '1s' },
    ]),
    // The target's own settings, passed through to it.
    CAR_COUNT: '500',
    AUTH_BCRYPT_COST: '4',
    JWT_SECRET: 'supervision-jwt-secret-of-32-characters',
    ADMIN_TOKEN: 'supervision-admin-token-of-32-characters',
    TARGET_ADMIN_TOKEN: 'supervision-admin-token-of-32-characters',
  });
  await until('the supervised target to answer', healthy, 90_000);
  const signIn = await mutate(dashboard.url, 'auth.signIn', { name: QA.name, password: QA.password });
  cookie = cookieOf(signIn) ?? '';
  expect(cookie).not.toBe('');
});

afterAll(async () => {
  await dashboard?.stop();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a supervised target that dies', () => {
  it('fails its run with the reason, pages, comes back — the dashboard stays up', async () => {
    const launched = await mutate(
      dashboard.url,
      'runs.launch',
      { scenario: 'smoke', params: { target: targetUrl, vus: 1, duration: '2m' } },
      { cookie },
    );
    expect(launched.status).toBe(200);
    const id = (JSON.parse(launched.body) as { result: { data: { id: string } } }).result.data.id;
    await until('the run to be running', async () =>
      (await run(id)).state === 'running' ? true : undefined,
    );

    const [pid] = targetPids();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');

    expect(
      await until('the run to end', async () => {
        const r = await run(id);
        return ['finished', 'failed', 'aborted'].includes(r.state) ? r : undefined;
      }),
    ).toMatchObject({ state: 'failed', reason: 'target exited: SIGKILL' });
    expect((await until('TargetExited to page', () => paged('TargetExited'))).labels).toMatchObject({
      target_service: 'car-suggester',
      exit_reason: 'SIGKILL',
      severity: 'page',
    });
    // Started again (backoff 1 s), a new process.
    await until('the target to be back', healthy, 90_000);
    expect(targetPids()).not.toContain(pid);
    expect((await send(`${dashboard.url}/api/trpc/auth.me`, { headers: { cookie } })).status).toBe(200);
    expect(dashboard.output()).toContain('target exited: SIGKILL; starting it again in 1 s');
  });
});
