// One number for a run's p95, live too: a real k6 smoke run against the real target with 300 ms of
// chaos latency, its request samples streamed by the launcher into chDB, and the alert engine running
// the shipped LoadRunLatencyThresholdFailing (a sql: rule over cp_run_samples). The alert fires for
// that run while it runs and resolves once its samples stop; the rule's p95 over the whole run is
// exactly the figure queryRunPercentiles gives every other reader (panel, report, Compare, CLI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AlertEngine, createAlertEngine, loadRules, querySqlRule, type SqlRule } from 'alert-rules';
import { type CollectorServer, createStore, type Store, startCollector } from 'collector';
import { createClickHouseRunRecorder, createLauncher, type Launcher } from 'load-tests';
import { queryRunPercentiles } from 'load-tests/results';
import { startTargetApp, type TargetApp } from 'target-app';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setTargetChaos } from '../support/target-chaos.ts';

const rulesDir = fileURLToPath(new URL('../../../alert-rules/rules', import.meta.url));
const adminToken = 'run-latency-alert-admin-token';
const rule = loadRules(rulesDir).rules.find((r) => r.alert === 'LoadRunLatencyThresholdFailing') as SqlRule;

let dir: string;
let store: Store;
let collector: CollectorServer;
let target: TargetApp;
let launcher: Launcher;
let engine: AlertEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loop-run-alert-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 50 } });
  target = await startTargetApp({
    port: 0,
    carCount: 2000,
    adminToken,
    otlpEndpoint: `http://127.0.0.1:${collector.port}`,
    logLevel: 'warn',
  });
  launcher = createLauncher({
    otlpEndpoint: `127.0.0.1:${collector.port}`,
    targets: [target.url],
    runsDir: join(dir, 'runs'),
    recorder: createClickHouseRunRecorder(store.client),
    sampleStore: store.client,
  });
  engine = createAlertEngine({
    client: store.client,
    rules: [rule],
    routing: null,
    redisUrl: null,
    log: () => {},
  });
  engine.start();
});

afterAll(async () => {
  await engine?.stop();
  await launcher?.close();
  await target?.close();
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("fires for a slow run from its samples, resolves after it, and its p95 is the run's figure", async () => {
  expect(await setTargetChaos(target.url, adminToken, { latencyMs: 300 })).toBe(200);
  const launched = Date.now();
  const run = launcher.launch({ scenario: 'smoke', params: { vus: 3, duration: '25s', target: target.url } });
  const alert = () => engine.alerts().find((a) => a.rule === rule.alert && a.labels.run_id === run.id);

  // p95 > 200 ms from the run's first samples, for 10 s (ticks every 5 s, samples ~1–2 s behind k6).
  await expect.poll(() => alert()?.state, { timeout: 60_000, interval: 500 }).toBe('firing');
  const firedAfter = (Date.now() - launched) / 1000;
  expect(alert()?.labels).toMatchObject({ service: 'k6', run_id: run.id, severity: 'ticket' });
  expect(alert()?.value).toBeGreaterThan(300);

  const ended = await launcher.whenEnded(run.id);
  const endedAt = Date.now();
  await setTargetChaos(target.url, adminToken, null);
  expect(ended.state === 'finished' || ended.state === 'failed').toBe(true);

  // The rule's own SQL over the whole run gives exactly the p95 every reader of the run shows.
  const figures = await queryRunPercentiles(store.client, run.id, {
    window: { from: Date.now() - 10 * 60_000, to: Date.now() + 60_000 },
  });
  expect(figures.source).toBe('samples');
  const [row] = (await querySqlRule(store.client, { ...rule, windowMs: 10 * 60_000 }, Date.now())).filter(
    (r) => r.labels.run_id === run.id,
  );
  expect(row?.value).toBe(figures.overall.p95Ms);

  // Its samples stop: once its 30 s window is empty the alert resolves (no_data: ok), no other run.
  await expect.poll(() => alert()?.state, { timeout: 60_000, interval: 500 }).not.toBe('firing');
  const resolvedAfter = (Date.now() - endedAt) / 1000;
  console.log(
    `run latency alert: fired ${firedAfter.toFixed(1)} s after launch, resolved ${resolvedAfter.toFixed(1)} s after the run ended; ` +
      `p95 ${figures.overall.p95Ms?.toFixed(1)} ms over ${figures.overall.count} samples (rule and run figure alike)`,
  );
}, 180_000);
