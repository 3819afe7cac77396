// With COLLECTOR_API_KEYS set, the product's own senders carry a key: a real k6 run launched by the
// dashboard, the target app (its OTel SDK exporter, given the key through its environment as
// `npm start` and compose do), the page check, the alert engine's metrics and the collector's own telemetry all
// arrive — none is refused with 401 (a run once reported 0 requests and TargetNoData paged).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { ALERT_ENGINE_SERVICE } from '../../src/runtime/alert-metrics.ts';
import { PAGE_CHECK_SERVICE } from '../../src/runtime/page-check/page-metrics.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { freePort, startTargetProcess, type TargetProcess } from '../support/target-process.ts';

const KEY = 'ingest-key-0123456789abcdef';
let dir: string;
let running: RunningServices;
let target: TargetProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collector-keys-'));
  const collectorPort = await freePort();
  // The target's exporter takes the key from OTEL_EXPORTER_OTLP_HEADERS, as npm start's target supervisor sets it.
  target = await startTargetProcess({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`,
    OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${encodeURIComponent(KEY)}`,
    CAR_COUNT: '500',
  });
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    PORT: '0',
    COLLECTOR_PORT: String(collectorPort),
    COLLECTOR_API_KEYS: KEY,
    COLLECTOR_SELF_TELEMETRY_INTERVAL: '1',
    TARGET_URL: target.url,
    // Real Chromium loads the target's home page every 2 s and exports its timings.
    PAGE_CHECK_INTERVAL: '2',
    PAGE_CHECK_TIMEOUT: '20',
  });
  running = await startServices(env, () => undefined);
});

afterAll(async () => {
  await target?.stop();
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Metric points stored per service since `from` (histograms, sums and gauges). */
async function pointsByService(from: number): Promise<Record<string, number>> {
  const result = await running.services.store.client.query({
    query: `SELECT ServiceName AS service, count() AS points FROM merge(currentDatabase(), '^otel_metrics_(histogram|sum|gauge)$')
      WHERE TimeUnix >= fromUnixTimestamp64Milli({from:Int64}) GROUP BY ServiceName`,
    query_params: { from },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ service: string; points: string }>();
  return Object.fromEntries(rows.map((r) => [r.service, Number(r.points)]));
}

async function runPoints(runId: string): Promise<number> {
  const result = await running.services.store.client.query({
    query: `SELECT count() AS n FROM otel_metrics_sum WHERE ServiceName = 'k6' AND Attributes['run_id'] = {run:String}`,
    query_params: { run: runId },
    format: 'JSONEachRow',
  });
  return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
}

it("stores a real k6 run's metrics, the target's, the page check's, the alert engine's and the collector's own", async () => {
  const from = Date.now();
  const { launcher } = running.services;
  const run = launcher.launch({ scenario: 'smoke', params: { vus: 1, duration: '4s', target: target.url } });
  const ended = await launcher.whenEnded(run.id);
  expect(ended.state).toBe('finished');
  expect(ended.state === 'finished' && (ended.result.stats?.httpReqs ?? 0)).toBeGreaterThan(0);

  // Generous: on a loaded machine the collector may queue a while before its inserts land.
  let seen: Record<string, number> = {};
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await sleep(500)) {
    seen = await pointsByService(from);
    const senders = ['k6', 'car-suggester', 'collector', ALERT_ENGINE_SERVICE, PAGE_CHECK_SERVICE];
    if (senders.every((s) => (seen[s] ?? 0) > 0)) break;
  }
  const stats = running.collector?.stats();
  expect(
    seen,
    `collector: ${JSON.stringify({ queued: stats?.queuedRows, error: stats?.storeError })}`,
  ).toMatchObject({
    k6: expect.any(Number),
    'car-suggester': expect.any(Number),
    collector: expect.any(Number),
    [ALERT_ENGINE_SERVICE]: expect.any(Number),
    [PAGE_CHECK_SERVICE]: expect.any(Number),
  });
  expect(await runPoints(run.id)).toBeGreaterThan(0);
  // Every sender presented a key the collector knows.
  expect(running.collector?.stats().unauthorizedRequests).toBe(0);
});
