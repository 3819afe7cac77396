// The System page's stream against the real all-in-one services: OTLP sent to the in-process
// collector shows up as ingest rates, written rows and timed store inserts; the store answers the
// probe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import type { SystemSnapshot } from '../../src/server/routers/system.ts';
import { httpMetricsBody, postOtlp } from '../support/otlp.ts';

let dir: string;
let running: RunningServices;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-system-'));
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    COLLECTOR_PORT: '0',
    PORT: '0',
    TARGET_URL: 'http://127.0.0.1:9',
  });
  running = await startServices(env, () => undefined);
});

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stream's first item; leaving the loop ends the subscription. */
async function firstOf<T>(stream: AsyncIterable<T>): Promise<T> {
  for await (const item of stream) return item;
  throw new Error('the stream ended without a snapshot');
}

it('streams the collector’s ingest rates, written rows, queue and store state', async () => {
  const viewer = createCaller({
    services: running.services,
    headers: new Headers(),
    user: { name: 'v', role: 'viewer' },
  });
  const stream = await viewer.system.live();
  const snapshots: SystemSnapshot[] = [];
  const collectorUrl = running.services.config.collectorUrl ?? '';
  const points = Array.from({ length: 20 }, (_, i) => ({
    atMs: Date.now() - i * 1000,
    route: `/api/r${i}`,
    status: 200,
    count: 5,
    buckets: [1, 4, 0, 0, 0],
    sumSeconds: 0.1,
  }));
  for await (const snapshot of stream) {
    snapshots.push(snapshot);
    if (snapshots.length === 1) {
      await postOtlp(collectorUrl, '/v1/metrics', httpMetricsBody('car-suggester', points));
    }
    if (snapshots.length === 3) break;
  }
  expect(snapshots).toHaveLength(3);
  const [first, , last] = snapshots;
  expect(first?.collector).toEqual({ mode: 'in-process', url: collectorUrl });
  expect(snapshots.some((s) => (s.rates?.pointsPerSec ?? 0) > 0)).toBe(true);
  expect(last?.totals?.received.points).toBe(20);
  expect(last?.totals?.writtenRows).toBeGreaterThanOrEqual(20);
  expect(last?.losses).toMatchObject({ rejectedItems: 0, droppedRows: 0, badRequests: 0 });
  expect(last?.queue).toMatchObject({ state: 'empty', batches: 0 });
  expect(last?.store).toMatchObject({ collectorWritesOk: true, probeError: null });
  expect(last?.store.probeMs).toBeGreaterThan(0);
  // The collector timed its inserts of those points: p50/p95 over the last minute.
  const inserts = last?.store.insertLatency;
  expect(inserts?.inserts).toBeGreaterThanOrEqual(1);
  expect(inserts?.p50Ms).toBeGreaterThan(0);
  expect(inserts?.p95Ms).toBeGreaterThanOrEqual(inserts?.p50Ms ?? 0);
});

it('is for signed-in users only', async () => {
  const anonymous = createCaller({ services: running.services, headers: new Headers(), user: null });
  await expect(anonymous.system.live()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
});

it('reads a separate collector’s health from the telemetry it writes about itself', async () => {
  const collector = running.collector;
  if (!collector) throw new Error('the test needs the in-process collector');
  const separate = createCaller({
    services: { ...running.services, collector: null },
    headers: new Headers(),
    user: { name: 'v', role: 'viewer' },
  });
  await collector.writeSelfTelemetry();
  const points = Array.from({ length: 30 }, (_, i) => ({
    atMs: Date.now() - i * 1000,
    route: `/api/s${i}`,
    status: 200,
    count: 1,
    buckets: [1, 0, 0, 0, 0],
    sumSeconds: 0.001,
  }));
  await postOtlp(
    running.services.config.collectorUrl ?? '',
    '/v1/metrics',
    httpMetricsBody('car-suggester', points),
  );
  await collector.writeSelfTelemetry();

  // The first snapshot, taken out of the loop: a stream that ends without one fails here.
  const snapshot = await firstOf(await separate.system.live());
  expect(snapshot.collector).toEqual({
    mode: 'separate',
    serviceName: 'collector',
    windowMs: 60_000,
    found: true,
  });
  // 30 points over the one-minute window.
  expect(snapshot.rates?.pointsPerSec).toBeGreaterThanOrEqual(0.5);
  expect(snapshot.rates?.droppedRowsPerSec).toBe(0);
  expect(snapshot.store.collectorWritesOk).toBe(true);
  expect(snapshot.queue).toMatchObject({ batches: 0 });
  // Insert times come from the collector.store.insert.duration histogram it wrote.
  expect(snapshot.store.insertLatency?.inserts).toBeGreaterThanOrEqual(1);
  expect(snapshot.store.insertLatency?.p95Ms).toBeGreaterThan(0);
});
