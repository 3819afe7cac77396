// The load-test loop: the launcher runs real k6 (smoke scenario) against the real target app,
// k6 exports its metrics over OTLP/HTTP protobuf to the collector, and the run's metrics are
// found in chDB by run id — as many requests as k6's own summary counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, queryStat, type Store, startCollector } from 'collector';
import { createLauncher, type Launcher } from 'load-tests';
import { startTargetApp, type TargetApp } from 'target-app';
import { afterAll, beforeAll, expect, it } from 'vitest';

let dir: string;
let store: Store;
let collector: CollectorServer;
let target: TargetApp;
let launcher: Launcher;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loop-k6-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 50 } });
  target = await startTargetApp({
    port: 0,
    carCount: 2000,
    otlpEndpoint: `http://127.0.0.1:${collector.port}`,
    logLevel: 'warn',
  });
  launcher = createLauncher({
    otlpEndpoint: `127.0.0.1:${collector.port}`,
    targets: [target.url],
    runsDir: join(dir, 'runs'),
  });
});

afterAll(async () => {
  await launcher?.close();
  await target?.close();
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('runs the smoke scenario with real k6 and finds its metrics in the store by run id', async () => {
  const run = launcher.launch({ scenario: 'smoke', params: { vus: 2, duration: '5s', target: target.url } });
  const ended = await launcher.whenEnded(run.id);
  expect(ended.state).toBe('finished');
  if (ended.state !== 'finished') return;
  expect(ended.result.exitCode).toBe(0);
  expect(ended.result.thresholdsPassed).toBe(true);
  expect(ended.result.thresholds.map((t) => t.metric)).toEqual(
    expect.arrayContaining(['http_req_duration', 'http_req_failed']),
  );
  const httpReqs = ended.result.stats?.httpReqs ?? 0;
  expect(httpReqs).toBeGreaterThan(10);

  // k6 flushes its last export as it exits; the collector acknowledges only stored data.
  const window = { from: Date.now() - 10 * 60_000, to: Date.now() + 60_000 };
  const byRun = [{ key: 'run_id', op: '=' as const, value: run.id }];
  const stored = await queryStat(store.client, {
    kind: 'histogram',
    stat: 'count',
    metric: 'http_req_duration',
    where: byRun,
    window,
  });
  expect(stored).toBe(httpReqs);
  const p95 = await queryStat(store.client, {
    kind: 'histogram',
    stat: 'p95',
    metric: 'http_req_duration',
    where: byRun,
    window,
  });
  expect(p95).toBeGreaterThan(0);

  // The target saw the same traffic from its side; its last export lands within its 1 s interval.
  await expect
    .poll(
      () =>
        queryStat(store.client, {
          kind: 'histogram',
          stat: 'count',
          metric: 'http.server.request.duration',
          serviceName: 'car-suggester',
          window,
        }),
      { timeout: 10_000, interval: 500 },
    )
    .toBeGreaterThanOrEqual(httpReqs);
});
