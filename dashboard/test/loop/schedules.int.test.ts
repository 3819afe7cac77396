// Scheduled runs against the real running dashboard (node dashboard/server.ts: embedded chDB,
// launcher, real k6) and a real target, driven by the CLI with API tokens: bad schedules are
// refused with one line and nothing is created; a schedule every 5 s launches smoke runs tagged
// `schedule:<id>`, skips a due time while its previous run is still active, and posts each ended
// run's verdict (against the baseline once one is marked) to a local HTTP receiver; a due time
// passed while the dashboard was down runs once when it is back.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createApiToken } from '../support/cli-process.ts';
import {
  type DashboardServer,
  send,
  signInSession,
  startDashboardServer,
} from '../support/dashboard-server.ts';
import { startTargetProcess, type TargetProcess } from '../support/target-process.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const ADMIN = TEST_USERS[2];
type Notice = {
  schedule: { id: string; name: string };
  runId: string;
  state: string;
  verdict: string;
  failures: string[];
  baselineRunId: string | null;
  url: string;
};

let dir: string;
let dashboard: DashboardServer;
let target: TargetProcess;
let receiver: Server;
let hookUrl = '';
const notices: Notice[] = [];
const tokens = { qa: '', viewer: '' };
let env: Record<string, string>;

const startDashboard = async () =>
  startDashboardServer(join(dir, 'data'), { DASHBOARD_USERS: await testUsersEnv(), TARGET_URL: target.url });
const as = (role: 'qa' | 'viewer') => ({ PERF_SERVER_URL: dashboard.url, PERF_TOKEN: tokens[role] });

async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms / 1000} s:\n${dashboard.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'schedules-'));
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      notices.push(JSON.parse(body) as Notice);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  target = await startTargetProcess({ CAR_COUNT: '500' });
  dashboard = await startDashboard();
  const adminCookie = await signInSession(dashboard.url, ADMIN.name, ADMIN.password);
  tokens.qa = (await createApiToken(dashboard.url, adminCookie, 'sched-qa', 'qa')).token;
  tokens.viewer = (await createApiToken(dashboard.url, adminCookie, 'sched-viewer', 'viewer')).token;
  env = { adminCookie };
}, 240_000);

afterAll(async () => {
  await dashboard?.stop();
  await target?.stop();
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('schedules through the CLI against the running server', () => {
  let scheduleId = '';

  it('refuses bad schedules with one line each and creates nothing', async () => {
    const bad: [string[], RegExp][] = [
      [['--cron', '61 * * * *'], /invalid cron "61 \* \* \* \*": Invalid value for minute: 61/],
      [['--cron', '0 3 * * *', '--tz', 'Mars/Olympus'], /not an IANA time zone/],
      [['--cron', '0 3 * * *', '--tz', 'UTC', '--notify', 'ftp://example.com/x'], /must be an http\(s\) URL/],
      [['--cron', '0 3 * * *', '--tz', 'UTC', '--vus', '0'], /vus/],
    ];
    for (const [flags, message] of bad) {
      const r = await cli(['schedules', 'create', 'smoke', ...flags], as('qa'));
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const viewer = await cli(['schedules', 'create', 'smoke', '--cron', '0 3 * * *'], as('viewer'));
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/^403: .*viewer/);
    const list = await cli(['schedules', 'list'], as('viewer'));
    expect(list.code).toBe(0);
    expect(list.stdout.trim()).toBe('no schedules');
  }, 60_000);

  it('runs every 5 s, tagged with the schedule, skips while its run is active, and notifies', async () => {
    const created = await cli(
      [
        'schedules',
        'create',
        'smoke',
        '--name',
        'every five',
        '--cron',
        '*/5 * * * * *',
        '--tz',
        'UTC',
      ].concat(['--vus', '1', '--duration', '6s', '--notify', hookUrl]),
      as('qa'),
    );
    expect(created.code, created.stderr).toBe(0);
    scheduleId = /^schedule (sch_\w+) created: /.exec(created.stdout)?.[1] ?? '';
    expect(scheduleId).not.toBe('');
    expect(created.stdout).toContain('next 20');

    const first = await until(
      'first notice',
      () => notices.find((n) => n.schedule.id === scheduleId),
      50_000,
    );
    expect(first).toMatchObject({ schedule: { name: 'every five' }, state: 'finished', baselineRunId: null });
    expect(first.verdict).toBe(first.failures.length === 0 ? 'passed' : 'failed');
    expect(first.url).toBe(`http://127.0.0.1:${new URL(dashboard.url).port}/runs/${first.runId}`);
    // A 6 s run outlives the next due time 5 s later: that one is skipped, with the reason.
    expect(dashboard.output()).toMatch(
      new RegExp(`${scheduleId} \\(every five\\) skipped: the previous run run_\\S+ was still`),
    );

    // The run is the server's, launched by the schedule.
    const runs = await send(`${dashboard.url}/api/trpc/runs.list`, {
      headers: { cookie: env.adminCookie ?? '' },
    });
    const run = (JSON.parse(runs.body).result.data.runs as { id: string; launchedBy: string }[]).find(
      (r) => r.id === first.runId,
    );
    expect(run?.launchedBy).toBe(`schedule:${scheduleId}`);

    // With the first run as the scenario's baseline, the next run's notice is judged against it.
    const marked = await cli(['baseline', first.runId], as('qa'));
    expect(marked.code, marked.stderr).toBe(0);
    const judged = await until(
      'a notice judged against the baseline',
      () => notices.find((n) => n.schedule.id === scheduleId && n.baselineRunId === first.runId),
      50_000,
    );
    expect(judged.runId).not.toBe(first.runId);
    expect(judged.verdict).toBe(judged.failures.length === 0 ? 'passed' : 'failed');
  }, 120_000);

  it('pauses and resumes: the list says so, and no run is launched while paused', async () => {
    const paused = await cli(['schedules', 'pause', scheduleId], as('qa'));
    expect(paused.code, paused.stderr).toBe(0);
    // One due time (5 s) later, no new run of the schedule.
    const launched = async () => {
      const runs = await send(`${dashboard.url}/api/trpc/runs.list`, {
        headers: { cookie: env.adminCookie ?? '' },
      });
      const all = JSON.parse(runs.body).result.data.runs as { launchedBy: string }[];
      return all.filter((r) => r.launchedBy === `schedule:${scheduleId}`).length;
    };
    const before = await launched();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await launched()).toBe(before);
    expect(paused.stdout).toMatch(new RegExp(`^schedule ${scheduleId} paused: .*PAUSED`));
    const list = await cli(['schedules', 'list'], as('viewer'));
    expect(list.stdout).toMatch(
      new RegExp(
        `^${scheduleId}  every five  smoke  "\\*/5 \\* \\* \\* \\* \\*" UTC  PAUSED  last: .*run_\\S+.*notice: (passed|failed), sent`,
        'm',
      ),
    );
    const viewerPause = await cli(['schedules', 'resume', scheduleId], as('viewer'));
    expect(viewerPause.code).toBe(3);
    const resumed = await cli(['schedules', 'resume', scheduleId], as('qa'));
    expect(resumed.stdout).toMatch(/resumed: .* next 20\d\d-/);
    const missing = await cli(['schedules', 'pause', 'sch_000000000000'], as('qa'));
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^404: no schedule sch_000000000000/);
    const deleted = await cli(['schedules', 'delete', scheduleId], as('qa'));
    expect(deleted.code).toBe(0);
    // Every change is in the audit log, under the token's service account.
    const audit = await send(
      `${dashboard.url}/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ actor: 'token:sched-qa' }))}`,
      { headers: { cookie: env.adminCookie ?? '' } },
    );
    const actions = (JSON.parse(audit.body).result.data.entries as { action: string; target: string }[])
      .filter((e) => e.target === scheduleId)
      .map((e) => e.action)
      .sort();
    expect(actions).toEqual(['schedule.create', 'schedule.delete', 'schedule.pause', 'schedule.resume']);
    expect((await cli(['schedules', 'list'], as('qa'))).stdout.trim()).toBe('no schedules');
  }, 60_000);

  it('runs a due time missed while the dashboard was down once, when it is back', async () => {
    // Daily, 12 s from now (UTC): the dashboard is stopped before and started after it.
    const due = new Date(Date.now() + 12_000);
    const cron = `${due.getUTCSeconds()} ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`;
    const created = await cli(
      [
        'schedules',
        'create',
        'smoke',
        '--name',
        'daily',
        '--cron',
        cron,
        '--tz',
        'UTC',
        '--vus',
        '1',
        '--duration',
        '2s',
      ],
      as('qa'),
    );
    expect(created.code, created.stderr).toBe(0);
    const id = /^schedule (sch_\w+) created/.exec(created.stdout)?.[1] ?? '';
    await dashboard.stop();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() + 1000 - Date.now())));
    dashboard = await startDashboard();
    expect(dashboard.output()).toMatch(new RegExp(`scheduler: ${id} \\(daily\\) launched run_`));
    const list = await cli(['schedules', 'list'], as('viewer'));
    expect(list.stdout).toMatch(new RegExp(`^${id}  daily .* next 20\\d\\d-.*last: run_\\S+`, 'm'));
  }, 120_000);
});
