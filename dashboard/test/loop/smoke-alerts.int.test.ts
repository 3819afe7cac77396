// A laptop smoke run pages nobody: the target app runs as its own process (default bcrypt cost,
// as `npm start` runs it) and exports OTLP to the dashboard's collector; the dashboard runs the
// shipped rule pack and launches a real 2-VU k6 smoke run. No page-severity alert of the pack may go
// firing during the run or in the half minute after it (its `for` would end there), and no alert
// may flap (fire, resolve and fire again).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { freePort, startTargetProcess, type TargetProcess } from '../support/target-process.ts';

const rulesDir = fileURLToPath(new URL('../../../alert-rules/rules', import.meta.url));

let dir: string;
let target: TargetProcess;
let running: RunningServices;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smoke-alerts-'));
  const collectorPort = await freePort();
  target = await startTargetProcess({
    CAR_COUNT: '2000',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
    OTEL_METRIC_EXPORT_INTERVAL: '1000',
    ADMIN_TOKEN: 'smoke-alerts-admin-token',
    JWT_SECRET: 'smoke-alerts-jwt-secret-of-32-characters',
  });
  running = await startServices(
    parseDashboardEnv({
      DATA_DIR: dir,
      PORT: '0',
      COLLECTOR_PORT: String(collectorPort),
      TARGET_URL: target.url,
      RULES_DIR: rulesDir,
      PAGE_CHECK_INTERVAL: '0',
    }),
    () => undefined,
  );
}, 120_000);

afterAll(async () => {
  await running?.close();
  await target?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('a 2-VU smoke run fires no page-severity alert and no alert flaps', async () => {
  const api = createCaller({
    services: running.services,
    headers: new Headers(),
    user: { name: 'smoke-alerts-qa', role: 'qa' },
  });
  const alerts = running.services.alerts;
  const pages = new Set(
    alerts
      .rules()
      .filter((r) => r.labels.severity === 'page')
      .map((r) => r.alert),
  );
  expect(pages).toContain('TargetHighLatencyP95');
  const run = await api.runs.launch({ scenario: 'smoke', params: { target: target.url, vus: 2 } });
  const ended = await running.services.launcher.whenEnded(run.id);
  expect(ended.state).toBe('finished');
  // The run's last points arrive within seconds; a `for: 30s` (the longest of the pages on request
  // latency and errors) begun at its end would fire by then.
  await new Promise((resolve) => setTimeout(resolve, 35_000));

  const events = await alerts.recent(1000);
  const fired = events.filter((e) => e.state === 'firing');
  const report = fired.map((e) => `${e.rule} ${JSON.stringify(e.labels)} at ${new Date(e.at).toISOString()}`);
  console.log(`smoke run ${run.id}: firing transitions: ${report.join('; ') || 'none'}`);
  expect(fired.filter((e) => pages.has(e.rule)).map((e) => e.rule)).toEqual([]);
  const firings = Map.groupBy(fired, (e) => e.fingerprint);
  expect([...firings].filter(([, list]) => list.length > 1).map(([, [e]]) => e?.rule)).toEqual([]);
}, 300_000);
