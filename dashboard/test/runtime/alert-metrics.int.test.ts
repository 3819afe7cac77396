// The alert engine's evaluation times reach the store through the real collector, per rule, and
// failed evaluations are counted: a slow or failing rule is visible like any other metric.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, queryStat, type Store, startCollector } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ALERT_ENGINE_METRICS,
  ALERT_ENGINE_SERVICE,
  createAlertEngineMetrics,
} from '../../src/runtime/alert-metrics.ts';

const dir = mkdtempSync(join(tmpdir(), 'alert-metrics-'));
let store: Store;
let collector: CollectorServer;

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({ store, host: '127.0.0.1', port: 0, queueDir: join(dir, 'queue') });
});

afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('records each rule evaluation time and counts the failed ones, per rule', async () => {
  const started = Date.now();
  const metrics = createAlertEngineMetrics({ otlpUrl: collector.url, exportIntervalMs: 60_000 });
  const evaluated = (rule: string, durationMs: number, error: string | null = null) =>
    metrics.onEvaluated({
      rule,
      group: 'target',
      at: started,
      startedAt: started,
      durationMs,
      error,
      source: 'store',
    });
  evaluated('TargetHighLatencyP95', 12);
  evaluated('TargetHighLatencyP95', 30);
  evaluated('TargetNoData', 4, 'unknown table');
  await metrics.shutdown();

  const window = { from: started - 60_000, to: Date.now() + 60_000 };
  const stat = (metric: string, kind: 'histogram' | 'sum', stat: 'count' | 'max' | 'sum', rule: string) =>
    queryStat(store.client, {
      metric,
      kind,
      stat,
      serviceName: ALERT_ENGINE_SERVICE,
      where: [{ key: 'alert.rule', op: '=', value: rule }],
      window,
    });
  await expect
    .poll(() => stat(ALERT_ENGINE_METRICS.duration, 'histogram', 'count', 'TargetHighLatencyP95'))
    .toBe(2);
  expect(await stat(ALERT_ENGINE_METRICS.duration, 'histogram', 'max', 'TargetHighLatencyP95')).toBeCloseTo(
    0.03,
    6,
  );
  expect(await stat(ALERT_ENGINE_METRICS.failures, 'sum', 'sum', 'TargetNoData')).toBe(1);
  expect(await stat(ALERT_ENGINE_METRICS.failures, 'sum', 'sum', 'TargetHighLatencyP95')).toBeNull();
});
