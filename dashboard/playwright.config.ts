// Browser tests of the whole loop. Starts the target app and the all-in-one dashboard process
// (embedded chDB in a fresh temp directory, collector, launcher, alert engine) on ports that do
// not collide with a dev instance, then drives headless Chromium. Expects `next build` to have
// run (the test command builds first); without a build the dashboard server builds once.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import { hashPassword } from '../dashboard/src/server/auth/password.ts';
import { E2E_USERS } from './e2e/support/users.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const node = join(repoRoot, 'node_modules', '.bin', 'node');
const ports = { dashboard: 13000, collector: 14318, target: 18080 };
const targetUrl = `http://127.0.0.1:${ports.target}`;

// One data directory per run; workers load this file too, so they reuse the main process's.
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
// The dashboard's users, one per role (e2e/support/users.ts), hashed once for the server's env.
process.env.E2E_DASHBOARD_USERS ??= (
  await Promise.all(
    Object.values(E2E_USERS).map(async (u) => `${u.name}:${u.role}:${await hashPassword(u.password)}`),
  )
).join(',');
const built = existsSync(join(repoRoot, 'dashboard', '.next', 'BUILD_ID'));
const startDashboard = `${node} dashboard/server.ts`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  // One retry (a real server and browser on a 2-core machine); a spec that passes only on its
  // retry counts as passed and is named as flaky in the test command's summary.
  retries: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${ports.dashboard}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1360, height: 900 },
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1360, height: 900 },
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        },
      },
    },
  ],
  webServer: [
    {
      name: 'target-app',
      command: `${node} --max-semi-space-size=4 --max-old-space-size=120 target-app/src/main.ts`,
      cwd: repoRoot,
      url: `${targetUrl}/health`,
      env: {
        PORT: String(ports.target),
        HOST: '127.0.0.1',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.collector}`,
        CAR_COUNT: '2000',
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      name: 'dashboard',
      command: built
        ? startDashboard
        : `sh -c 'cd dashboard && ${node} ../node_modules/next/dist/bin/next build && cd .. && exec ${startDashboard}'`,
      cwd: repoRoot,
      url: `http://127.0.0.1:${ports.dashboard}/`,
      env: {
        PORT: String(ports.dashboard),
        HOST: '127.0.0.1',
        COLLECTOR_PORT: String(ports.collector),
        TARGET_URL: targetUrl,
        DATA_DIR: process.env.E2E_DATA_DIR,
        DASHBOARD_USERS: process.env.E2E_DASHBOARD_USERS,
        // The synthetic page check has its own integration tests; here the Frontend category stays
        // unmeasured so the scores spec can see a "no data" category deterministically.
        PAGE_CHECK_INTERVAL: '0',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      reuseExistingServer: false,
      timeout: built ? 120_000 : 300_000,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    },
  ],
});
