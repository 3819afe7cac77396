// The page check as the dashboard process runs it: started by startServices from the environment,
// on its schedule, sending to the in-process collector; stopped by close().
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryStat } from 'collector';
import { startTargetApp, type TargetApp } from 'target-app';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { PAGE_CHECK_SERVICE } from '../../src/runtime/page-check/page-metrics.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';

let dir: string;
let target: TargetApp;
let running: RunningServices | undefined;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-page-schedule-'));
  mkdirSync(join(dir, 'rules'));
  target = await startTargetApp({ port: 0, carCount: 300, telemetryEnabled: false, logLevel: 'warn' });
  running = await startServices(
    parseDashboardEnv({
      DATA_DIR: dir,
      COLLECTOR_PORT: '0',
      PORT: '0',
      RULES_DIR: join(dir, 'rules'),
      TARGET_URL: target.url,
      PAGE_CHECK_INTERVAL: '1',
      PAGE_CHECK_TIMEOUT: '20',
    }),
    (line) => lines.push(line),
  );
});

afterAll(async () => {
  await running?.close();
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("checks the target's home page on schedule and stops with the dashboard", async () => {
  expect(lines).toContain(`page check: ${target.url}/ every 1 s`);
  const fcp = () =>
    queryStat(running!.services.store.client, {
      kind: 'gauge',
      stat: 'count',
      metric: 'page.fcp',
      serviceName: PAGE_CHECK_SERVICE,
      where: [{ key: 'url.full', op: '=', value: `${target.url}/` }],
      window: { from: Date.now() - 600_000, to: Date.now() + 60_000 },
    });
  await expect.poll(fcp, { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(1);
  expect(lines.filter((l) => l.includes('failed'))).toEqual([]);
  // close() ends a check under way (it closes the browser) and sends what was recorded.
  await running!.close();
  running = undefined;
});
