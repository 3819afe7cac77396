// Experiments through the real dashboard server (node dashboard/server.ts: embedded chDB, launcher,
// real k6) against a real target with an admin token: a tiny inline experiment (2 variants of
// /admin/optimisations × 2 repeats, 3 s smoke runs) is launched by qa, followed to its end through
// experiments.get, its runs are ordinary runs linked to it and its results are there; a second one
// stopped during its first run leaves the target as it found it; a viewer may read, not launch.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
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

const [VIEWER, QA, ADMIN] = [TEST_USERS[0], TEST_USERS[1], TEST_USERS[2]];
const ADMIN_TOKEN = 'experiments-test-admin-token';

const TINY = {
  name: 'tiny-response-cache',
  scenario: 'smoke',
  params: { vus: 2, duration: '3s' },
  repeats: 2,
  seed: 3,
  variants: [
    { name: 'cache-on', settings: { responseCache: true } },
    { name: 'cache-off', settings: { responseCache: false } },
  ],
  optimisations: [
    {
      name: 'response cache',
      settings: ['responseCache'],
      with: 'cache-on',
      without: 'cache-off',
      claim: { kind: 'direction', kpi: 'searchP95Ms', text: 'caching helps search' },
    },
  ],
  comparison: { before: 'cache-off', after: 'cache-on', claimedBefore: 47, claimedAfter: 95 },
};

/** Both variants also set the pool to 13, which the target does not start with: a reset shows. */
const STOPPED = {
  ...TINY,
  name: 'tiny-stopped',
  variants: TINY.variants.map((v) => ({ ...v, settings: { ...v.settings, poolSize: 13 } })),
};

const progressSchema = z
  .object({
    experimentId: z.string(),
    total: z.number(),
    done: z.number(),
    variant: z.string().nullable(),
    repeat: z.number().nullable(),
    currentRunId: z.string().nullable(),
    runState: z.string().nullable(),
  })
  .nullable();
const experimentSchema = z.object({
  experiment: z.object({
    id: z.string(),
    state: z.enum(['running', 'finished', 'stopped', 'failed']),
    reason: z.string().nullable(),
    launchedBy: z.string(),
    originalSettings: z.record(z.string(), z.unknown()),
    runs: z.array(z.object({ runId: z.string(), variant: z.string(), round: z.number(), state: z.string() })),
    result: z
      .object({
        variants: z.array(
          z.object({ name: z.string(), runs: z.number(), kpis: z.record(z.string(), z.unknown()) }),
        ),
        optimisations: z.array(z.object({ name: z.string(), verdict: z.string() })),
        comparison: z
          .object({ before: z.object({ claimed: z.number() }), after: z.object({ claimed: z.number() }) })
          .nullable(),
      })
      .nullable(),
  }),
  progress: progressSchema,
});
const dataOf = (body: string) =>
  z.object({ result: z.object({ data: z.unknown() }) }).parse(JSON.parse(body)).result.data;

let dir: string;
let dashboard: DashboardServer;
let target: TargetProcess;
const cookies = { qa: '', viewer: '' };
const tokens = { qa: '', viewer: '' };

const query = (path: string, input: unknown, cookie: string) =>
  send(`${dashboard.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { cookie },
  });
const getExperiment = async (id: string) => {
  const answer = await query('experiments.get', { id }, cookies.viewer);
  expect(answer.status, answer.body).toBe(200);
  return experimentSchema.parse(dataOf(answer.body));
};
const targetSettings = async () => {
  const res = await fetch(`${target.url}/admin/optimisations`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return z.object({ current: z.record(z.string(), z.unknown()) }).parse(await res.json()).current;
};

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms / 1000} s:\n${dashboard.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'experiments-'));
  target = await startTargetProcess({ CAR_COUNT: '500', ADMIN_TOKEN });
  dashboard = await startDashboardServer(join(dir, 'data'), {
    DASHBOARD_USERS: await testUsersEnv(),
    TARGET_URL: target.url,
    TARGET_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  cookies.qa = await signInSession(dashboard.url, QA.name, QA.password);
  cookies.viewer = await signInSession(dashboard.url, VIEWER.name, VIEWER.password);
  const adminCookie = await signInSession(dashboard.url, ADMIN.name, ADMIN.password);
  tokens.qa = (await createApiToken(dashboard.url, adminCookie, 'exp-qa', 'qa')).token;
  tokens.viewer = (await createApiToken(dashboard.url, adminCookie, 'exp-viewer', 'viewer')).token;
}, 240_000);

afterAll(async () => {
  await dashboard?.stop();
  await target?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('experiments through the dashboard server', () => {
  it('refuses a viewer, a bad definition and overrides out of bounds, and starts nothing', async () => {
    const viewer = await mutate(
      dashboard.url,
      'experiments.launch',
      { definition: TINY },
      { cookie: cookies.viewer },
    );
    expect(viewer.status).toBe(403);
    const bad = await mutate(
      dashboard.url,
      'experiments.launch',
      { definition: { ...TINY, variants: [{ name: 'x', settings: { warpDrive: true } }, TINY.variants[0]] } },
      { cookie: cookies.qa },
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/warpDrive: is not an optimisation setting/);
    const repeats = await mutate(
      dashboard.url,
      'experiments.launch',
      { definition: TINY, overrides: { repeats: 50 } },
      { cookie: cookies.qa },
    );
    expect(repeats.status).toBe(400);
    const chaos = await mutate(
      dashboard.url,
      'experiments.launch',
      {
        definition: {
          ...TINY,
          settingsResource: '/admin/chaos',
          variants: [
            { name: 'a', settings: {} },
            { name: 'b', settings: { latencyMs: 5 } },
          ],
          optimisations: [],
          comparison: undefined,
        },
      },
      { cookie: cookies.qa },
    );
    expect(chaos.status).toBe(403);
    const list = await query('experiments.list', undefined, cookies.viewer);
    expect(list.status).toBe(200);
    expect(z.object({ experiments: z.array(z.unknown()) }).parse(dataOf(list.body)).experiments).toHaveLength(
      0,
    );
  }, 30_000);

  it('runs a tiny experiment to its end: progress, linked runs, results, target put back', async () => {
    const before = await targetSettings();
    const launchedAt = Date.now();
    const launched = await mutate(
      dashboard.url,
      'experiments.launch',
      { definition: TINY },
      { cookie: cookies.qa },
    );
    expect(launched.status, launched.body).toBe(200);
    const { id } = z.object({ id: z.string() }).parse(dataOf(launched.body));

    // Only one at a time.
    const second = await mutate(
      dashboard.url,
      'experiments.launch',
      { definition: TINY },
      { cookie: cookies.qa },
    );
    expect(second.status).toBe(409);

    // While a run of the experiment runs, the target has its variant's settings.
    const seen = new Set<string>();
    const ended = await until(
      'ended experiment',
      async () => {
        const got = await getExperiment(id);
        const p = got.progress;
        if (p?.runState === 'running' && p.variant) {
          const current = await targetSettings();
          expect(current.responseCache).toBe(p.variant === 'cache-on');
          seen.add(p.variant);
        }
        return got.experiment.state === 'running' ? undefined : got;
      },
      150_000,
    );
    expect(ended.experiment.state, ended.experiment.reason ?? '').toBe('finished');
    expect(ended.experiment.launchedBy).toBe(QA.name);
    expect(seen.size).toBeGreaterThan(0);
    expect(ended.experiment.runs).toHaveLength(4);
    expect(new Set(ended.experiment.runs.map((r) => r.variant))).toEqual(new Set(['cache-on', 'cache-off']));
    expect(await targetSettings()).toEqual(before);

    // Every switch that changed the target is audited and marked on the charts, the reset last:
    // the switch alternates, and ends where the target started.
    const changes = await query('changes.forWindow', { from: launchedAt, to: Date.now() }, cookies.viewer);
    expect(changes.status, changes.body).toBe(200);
    const markers = z
      .array(z.object({ at: z.number(), kind: z.literal('optimisation'), label: z.string() }))
      .parse(dataOf(changes.body));
    expect(markers.length).toBeGreaterThan(0);
    const values = markers.map((m) => /^responseCache (on|off)( \(reset\))?$/.exec(m.label)?.[1]);
    for (const v of values) expect(v).toMatch(/^(on|off)$/);
    for (let i = 1; i < values.length; i++) expect(values[i]).not.toBe(values[i - 1]);
    expect(values.at(-1)).toBe(before.responseCache ? 'on' : 'off');

    // Its runs are ordinary runs, in the run list, each linked back.
    for (const run of ended.experiment.runs) {
      expect(run.state).toBe('finished');
      const answer = await query('runs.get', { id: run.runId }, cookies.viewer);
      expect(answer.status, answer.body).toBe(200);
      expect(z.object({ state: z.string() }).parse(dataOf(answer.body)).state).toBe('finished');
    }
    const result = ended.experiment.result;
    expect(result?.variants.map((v) => v.runs)).toEqual([2, 2]);
    expect(result?.optimisations).toHaveLength(1);
    expect(['confirmed', 'smaller', 'none', 'worse', 'no data']).toContain(result?.optimisations[0]?.verdict);
    expect(result?.comparison?.before.claimed).toBe(47);

    const list = await query('experiments.list', undefined, cookies.viewer);
    const rows = z
      .object({
        experiments: z.array(
          z.object({ id: z.string(), state: z.string(), verdicts: z.record(z.string(), z.number()) }),
        ),
      })
      .parse(dataOf(list.body)).experiments;
    expect(rows[0]?.id).toBe(id);
    expect(Object.values(rows[0]?.verdicts ?? {}).reduce((a, b) => a + b, 0)).toBe(1);
  }, 180_000);

  it('stops an experiment mid-way and leaves the target as it found it', async () => {
    const before = await targetSettings();
    const launched = await mutate(
      dashboard.url,
      'experiments.launch',
      { definition: STOPPED, overrides: { duration: '30s' } },
      { cookie: cookies.qa },
    );
    expect(launched.status, launched.body).toBe(200);
    const { id } = z.object({ id: z.string() }).parse(dataOf(launched.body));
    const running = await until(
      'first run running',
      async () => {
        const p = (await getExperiment(id)).progress;
        return p?.runState === 'running' ? p : undefined;
      },
      60_000,
    );
    expect(running.total).toBe(4);
    expect(before.poolSize).not.toBe(13);
    expect((await targetSettings()).poolSize).toBe(13);

    const viewerStop = await mutate(dashboard.url, 'experiments.stop', { id }, { cookie: cookies.viewer });
    expect(viewerStop.status).toBe(403);
    const stop = await mutate(dashboard.url, 'experiments.stop', { id }, { cookie: cookies.qa });
    expect(stop.status, stop.body).toBe(200);
    const ended = await until(
      'stopped experiment',
      async () => {
        const got = await getExperiment(id);
        return got.experiment.state === 'running' ? undefined : got;
      },
      60_000,
    );
    expect(ended.experiment.state).toBe('stopped');
    expect(ended.experiment.runs.length).toBeLessThan(4);
    expect(await targetSettings()).toEqual(before);
    if (running.currentRunId) {
      const run = await query('runs.get', { id: running.currentRunId }, cookies.viewer);
      expect(z.object({ state: z.string() }).parse(dataOf(run.body)).state).toBe('aborted');
    }
  }, 120_000);

  it('starts, follows and lists an experiment through the CLI; a viewer token is refused', async () => {
    const file = join(dir, 'tiny.json');
    writeFileSync(file, JSON.stringify({ ...TINY, name: 'tiny-cli' }));
    const as = (role: 'qa' | 'viewer') => ({ PERF_SERVER_URL: dashboard.url, PERF_TOKEN: tokens[role] });
    const refused = await cli(['experiment', 'start', '--file', file], as('viewer'));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^403: .*viewer/);
    const bad = await cli(['experiment', 'start', '--file', file, '--repeats', '99'], as('qa'));
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/repeats/);

    const run = await cli(['experiment', 'start', '--file', file], as('qa'));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const id = /^experiment (exp_\S+) on /m.exec(run.stdout)?.[1];
    expect(id).toBeDefined();
    expect(run.stdout).toMatch(/\[\d\/4\] repeat \d\/2 cache-(on|off): run run_\S+ running/);
    expect(run.stdout).toMatch(/finished, 4 of 4 runs/);
    expect(run.stdout).toMatch(/response cache/);

    const status = await cli(['experiment', 'status'], as('viewer'));
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${id}  tiny-cli  finished`);
    const stopEnded = await cli(['experiment', 'stop', id ?? ''], as('qa'));
    expect(stopEnded.code).toBe(4);
  }, 150_000);
});
