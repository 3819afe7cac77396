// Scores from real telemetry: the target app runs as its own process and exports OTLP to the
// dashboard's collector (embedded chDB); the dashboard's launcher runs a real k6 smoke run against
// it (every journey: browse, signed-in account, price feed) with k6's own metrics going to the same
// collector. Every category the smoke run exercises must then have a value — a metric renamed on
// either side would otherwise turn a category into "no data" while everything stays green.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLauncher } from 'load-tests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import type { ScoreReport } from '../../src/scores/report.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { freePort, startTargetProcess, type TargetProcess } from '../support/target-process.ts';

/** What a smoke run measures, KPI by KPI; the Frontend comes from the synthetic page check only. */
const EXERCISED = {
  api: ['api.p95', 'api.errors', 'api.throughput'],
  database: ['db.avg', 'db.pool', 'db.success'],
  realtime: ['realtime.latency', 'realtime.stability'],
  auth: ['auth.p95', 'auth.errors'],
  storage: ['storage.cache-hit', 'storage.write-p95'],
  network: ['network.connect', 'network.blocked'],
  memory: ['memory.rss', 'memory.heap'],
} as const;
const UNEXERCISED = ['frontend'];

let dir: string;
let target: TargetProcess;
let running: RunningServices;
let api: ReturnType<typeof createCaller>;
let runId: string;
let runWindow: { from: number; to: number };

const kpiValues = (report: ScoreReport) =>
  new Map(report.categories.flatMap((c) => c.kpis).map((k) => [k.id, k.value]));
const unmeasured = (report: ScoreReport) =>
  Object.values(EXERCISED)
    .flat()
    .filter((id) => kpiValues(report).get(id) == null);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smoke-scores-'));
  mkdirSync(join(dir, 'rules')); // no alert rules: their queries would only compete with the scores'
  // The collector's port is named before it listens: the target exports to it from its first second.
  const collectorPort = await freePort();
  target = await startTargetProcess({
    CAR_COUNT: '2000',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    ADMIN_TOKEN: 'smoke-scores-admin-token',
    JWT_SECRET: 'smoke-scores-jwt-secret-of-32-characters',
    // Lowest bcrypt cost: the sign-up and login run the same code at a fraction of the CPU.
    AUTH_BCRYPT_COST: '4',
    // A short watch of a few hundred cars then sees several price messages a second.
    PRICE_CHANGE_INTERVAL_MS: '100',
    PRICE_CHANGES_PER_TICK: '5',
  });
  running = await startServices(
    parseDashboardEnv({
      DATA_DIR: dir,
      PORT: '0',
      COLLECTOR_PORT: String(collectorPort),
      TARGET_URL: target.url,
      RULES_DIR: join(dir, 'rules'),
      PAGE_CHECK_INTERVAL: '0',
    }),
    () => undefined,
  );
  api = createCaller({
    services: running.services,
    headers: new Headers(),
    user: { name: 'smoke-scores-qa', role: 'qa' },
  });
  const run = await api.runs.launch({
    scenario: 'smoke',
    params: { target: target.url, vus: 2, duration: '8s' },
  });
  runId = run.id;
  const ended = await running.services.launcher.whenEnded(runId);
  if (ended.state !== 'finished') throw new Error(`smoke run ended ${ended.state}: ${JSON.stringify(ended)}`);
  runWindow = { from: ended.startedAt ?? 0, to: ended.endedAt };
}, 240_000);

afterAll(async () => {
  await running?.close();
  await target?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scores of a real smoke run against the real target', () => {
  it('has a value for every category and KPI the run exercised, and no data only for the Frontend', async () => {
    // The target exports every second and the collector batches: the run's last points land shortly after it ends.
    await expect
      .poll(async () => unmeasured(await api.scores.forWindow(runWindow)), {
        timeout: 30_000,
        interval: 1000,
      })
      .toEqual([]);
    const report = await api.scores.forWindow(runWindow);
    expect(report.errors).toEqual([]);
    for (const category of report.categories) {
      if (UNEXERCISED.includes(category.id)) {
        expect(category.score, category.id).toBeNull();
        continue;
      }
      expect(Object.keys(EXERCISED), `category ${category.id} is not in this test`).toContain(category.id);
      expect(category.score, category.id).toBeGreaterThanOrEqual(0);
      expect(category.measured, category.id).toBe(category.kpis.length);
    }
    expect(report.overall).not.toBeNull();
    // Values in their units, plausible for a small smoke run on one machine.
    const value = (id: string) => kpiValues(report).get(id) ?? Number.NaN;
    expect(value('db.avg')).toBeGreaterThan(0); // ms per query
    expect(value('db.success')).toBeGreaterThan(0.9);
    expect(value('storage.write-p95')).toBeGreaterThan(0); // the sign-up's and favourites' INSERTs
    expect(value('realtime.latency')).toBeGreaterThan(0);
    expect(value('realtime.stability')).toBe(1); // every watcher closed cleanly
    expect(value('auth.p95')).toBeGreaterThan(0);
    expect(value('network.connect')).toBeGreaterThanOrEqual(0);
    expect(value('memory.rss')).toBeGreaterThan(20); // MB
  });

  it('scores.forRun scores the run over its own window, also from the stored record after a restart', async () => {
    const live = await api.scores.forRun({ runId });
    expect(live.runId).toBe(runId);
    expect(live.report).not.toBeNull();
    expect({ from: live.report?.from, to: live.report?.to }).toEqual(runWindow);
    expect(unmeasured(live.report!)).toEqual([]);
    expect(live.report?.overall).toBeCloseTo((await api.scores.forWindow(runWindow)).overall ?? Number.NaN);

    // A dashboard restarted since knows the run only from cp_runs: the same window, the same scores.
    const fresh = createLauncher({ targets: [target.url], runsDir: join(dir, 'fresh-runs') });
    try {
      const restarted = createCaller({
        services: { ...running.services, launcher: fresh },
        headers: new Headers(),
        user: { name: 'smoke-scores-viewer', role: 'viewer' },
      });
      const stored = await restarted.scores.forRun({ runId });
      expect({ from: stored.report?.from, to: stored.report?.to }).toEqual(runWindow);
      expect(stored.report?.overall).toBeCloseTo(live.report?.overall ?? Number.NaN);
    } finally {
      await fresh.close();
    }
  });

  it('scores.forRun has no report for a run that has not started', async () => {
    // A second run waits in the queue behind the first (one run at a time).
    const blocker = await api.runs.launch({
      scenario: 'smoke',
      params: { target: target.url, vus: 1, duration: '20s' },
    });
    const queued = await api.runs.launch({
      scenario: 'smoke',
      params: { target: target.url, vus: 1, duration: '5s' },
    });
    try {
      expect(running.services.launcher.get(queued.id)?.state).toBe('queued');
      expect(await api.scores.forRun({ runId: queued.id })).toEqual({ runId: queued.id, report: null });
    } finally {
      await running.services.launcher.stop(queued.id);
      await running.services.launcher.stop(blocker.id);
    }
    // Stopped before it ever started: still no window to score.
    expect((await api.scores.forRun({ runId: queued.id })).report).toBeNull();
  });
});
