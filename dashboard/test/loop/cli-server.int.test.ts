// The load-test CLI against the real running dashboard (node dashboard/server.ts, embedded chDB,
// launcher, real k6) and a real target: an admin creates API tokens, the CLI launches a smoke run
// with a qa token — recorded by the server under the token's name — and reads its status, results,
// export, trend and comparison back through the API; a viewer token cannot launch, a revoked
// token is refused, a missing run exits 4. Each error is one line.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
import { startTargetProcess, type TargetProcess } from '../support/target-process.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const ADMIN = TEST_USERS[2];
let dir: string;
let dashboard: DashboardServer;
let target: TargetProcess;
let adminCookie: string;
const tokens: Record<'qa' | 'viewer', { token: string; id: string }> = {
  qa: { token: '', id: '' },
  viewer: { token: '', id: '' },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-server-'));
  target = await startTargetProcess({ CAR_COUNT: '500' });
  dashboard = await startDashboardServer(join(dir, 'data'), {
    DASHBOARD_USERS: await testUsersEnv(),
    TARGET_URL: target.url,
  });
  adminCookie = await signInSession(dashboard.url, ADMIN.name, ADMIN.password);
  for (const role of ['qa', 'viewer'] as const)
    tokens[role] = await createApiToken(dashboard.url, adminCookie, `cli-${role}`, role);
}, 240_000);

afterAll(async () => {
  await dashboard?.stop();
  await target?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const asQa = () => ({ PERF_SERVER_URL: dashboard.url, PERF_TOKEN: tokens.qa.token });

describe('the CLI through the server', () => {
  let runId = '';

  it('launches a smoke run on the server with a qa token and follows it to its end', async () => {
    // Long enough for at least two of the CLI's 2-second polls to see it running.
    const run = await cli(['run', 'smoke', '--vus', '1', '--duration', '6s'], asQa());
    const id = /^run (\S+): queued on /m.exec(run.stdout)?.[1];
    expect(id, run.stdout + run.stderr).toBeTruthy();
    runId = id ?? '';
    expect(run.stdout).toContain('[running]');
    expect(run.stdout).toMatch(/^\[running\] {2}1 VUs {2}\d+ reqs/m);
    expect(run.stdout).toContain(`run ${runId}: finished`);
    const passed = run.stdout.includes('thresholds passed');
    expect(run.stdout).toMatch(/thresholds (passed|FAILED)/);
    expect(run.code).toBe(passed ? 0 : 1);

    // Recorded by the server: in its run list, launched by the token's service account.
    const list = await send(`${dashboard.url}/api/trpc/runs.list`, { headers: { cookie: adminCookie } });
    const runs = JSON.parse(list.body).result.data.runs as {
      id: string;
      launchedBy: string;
      target: string;
    }[];
    expect(runs.find((r) => r.id === runId)).toMatchObject({
      launchedBy: 'token:cli-qa',
      target: target.url,
    });
  }, 180_000);

  it('reads status, results, export, trend and a comparison back through the API', async () => {
    const status = await cli(['status', runId], asQa());
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${runId} {2}finished {2}smoke`));

    const results = await cli(['results', runId], asQa());
    expect(results.code, results.stderr).toBe(0);
    expect(results.stdout).toContain(`run ${runId}: smoke, finished`);
    expect(results.stdout).toMatch(/\d+ requests \([\d.]+\/s\)/);

    const out = join(dir, 'report.json');
    // Flags win over the environment (here: none set at all).
    const exported = await cli([
      'export',
      runId,
      '--format',
      'json',
      '--out',
      out,
      '--server',
      dashboard.url,
      '--token',
      tokens.viewer.token,
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(runId);

    const trend = await cli(['trend', 'smoke'], asQa());
    expect(trend.code, trend.stderr).toBe(0);
    expect(trend.stdout).toContain(runId);

    // qa marks the run as the scenario's baseline and clears it again, through the server.
    const marked = await cli(['baseline', runId], asQa());
    expect(marked.code, marked.stderr).toBe(0);
    expect(marked.stdout).toBe(`run ${runId} is now the baseline of smoke\n`);
    expect((await cli(['trend', 'smoke'], asQa())).stdout).toContain(`${runId} finished (baseline)`);
    const cleared = await cli(['baseline', '--clear', 'smoke'], asQa());
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await cli(['trend', 'smoke'], asQa())).stdout).not.toContain('(baseline)');

    const same = await cli(['compare', runId, runId], asQa());
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toContain(`compare ${runId} (base) → ${runId} (candidate)`);
  }, 120_000);

  it('exits 4 for a missing run, 3 for a role or a revoked token, 2 without a server — one line each', async () => {
    const missing = await cli(['results', 'run_missing'], asQa());
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^404: no run run_missing\b[^\n]*\n$/);
    expect((await cli(['status', 'run_missing'], asQa())).code).toBe(4);

    const viewer = await cli(['run', 'smoke', '--vus', '1', '--duration', '2s'], {
      PERF_SERVER_URL: dashboard.url,
      PERF_TOKEN: tokens.viewer.token,
    });
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/^403: token:cli-viewer is a viewer; this needs the qa role[^\n]*\n$/);

    const revoke = await mutate(
      dashboard.url,
      'tokens.revoke',
      { id: tokens.qa.id },
      { cookie: adminCookie },
    );
    expect(revoke.status).toBe(200);
    const revoked = await cli(['status'], asQa());
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toBe(`401: API token "cli-qa" was revoked by ${ADMIN.name}\n`);

    const noServer = await cli(['results', runId]);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
