// The System page's stream against the real all-in-one services: OTLP sent to the in-process
// collector shows up as ingest rates, written rows and timed store inserts; the store answers the
// probe; invalid items name their sender (live, and from the store for a separate collector); the
// charts' history for a range comes from the collector's self-telemetry in the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { HISTORY_DELAY_MS } from '../../src/server/collector-history.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import type { SystemSnapshot } from '../../src/server/routers/system.ts';
import { httpMetricsBody, postOtlp, untimedGaugeBody } from '../support/otlp.ts';

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
  // Light traffic waits in the on-disk queue (COLLECTOR_COALESCE_MS, 5 s here) before it is stored:
  // follow the stream until the queue has drained again (at most 12 snapshots, ~24 s).
  const stored = (s: SystemSnapshot) => (s.totals?.writtenRows ?? 0) + (s.totals?.replayedRows ?? 0);
  for await (const snapshot of stream) {
    snapshots.push(snapshot);
    if (snapshots.length === 1) {
      await postOtlp(collectorUrl, '/v1/metrics', httpMetricsBody('car-suggester', points));
    }
    const drained = snapshots.length > 1 && stored(snapshot) >= 20 && snapshot.queue?.state === 'empty';
    if (drained || snapshots.length === 12) break;
  }
  const [first] = snapshots;
  const last = snapshots[snapshots.length - 1];
  expect(first?.collector).toEqual({ mode: 'in-process', url: collectorUrl });
  expect(snapshots.some((s) => (s.rates?.pointsPerSec ?? 0) > 0)).toBe(true);
  expect(last?.totals?.received.points).toBe(20);
  // Every point is in the store: inserted at once, or from the queue.
  expect(last && stored(last)).toBeGreaterThanOrEqual(20);
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

  // The first snapshot, taken out of the loop: a stream that ends without one fails here. Small
  // batches may reach the store a few seconds after they are acknowledged: read until they have.
  await vi.waitFor(
    async () => {
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
      // Read from the queue gauges it wrote (light traffic may be waiting there when it wrote them).
      expect(snapshot.queue?.state).toMatch(/^(empty|draining)$/);
      expect(snapshot.queue?.bytes).toBeGreaterThanOrEqual(0);
      // Insert times come from the collector.store.insert.duration histogram it wrote.
      expect(snapshot.store.insertLatency?.inserts).toBeGreaterThanOrEqual(1);
      expect(snapshot.store.insertLatency?.p95Ms).toBeGreaterThan(0);
    },
    { timeout: 15_000, interval: 1_000 },
  );
});

const viewerOf = (services: RunningServices['services']) =>
  createCaller({ services, headers: new Headers(), user: { name: 'v', role: 'viewer' } });

it('names the sender of rejected items, live from the in-process collector', async () => {
  const collectorUrl = running.services.config.collectorUrl ?? '';
  await postOtlp(collectorUrl, '/v1/metrics', untimedGaugeBody('bad-sender', 3));
  await postOtlp(collectorUrl, '/v1/metrics', untimedGaugeBody('bad-sender', 4));
  const snapshot = await firstOf(await viewerOf(running.services).system.live());
  expect(snapshot.refusals?.source).toBe('collector');
  expect(snapshot.refusals?.rows).toContainEqual({
    sender: 'bad-sender',
    reason: 'invalid_items',
    signal: 'metrics',
    items: 7,
    requests: 2,
    lastAt: expect.any(Number),
  });
  expect(snapshot.losses?.rejectedItems).toBe(7);
});

it('names the sender of rejected items from the store when the collector runs separately', async () => {
  const collector = running.collector;
  if (!collector) throw new Error('the test needs the in-process collector');
  const collectorUrl = running.services.config.collectorUrl ?? '';
  await postOtlp(collectorUrl, '/v1/metrics', untimedGaugeBody('far-sender', 5));
  await collector.writeSelfTelemetry();
  const separate = viewerOf({ ...running.services, collector: null });
  // Small batches may reach the store a few seconds after they are acknowledged.
  await vi.waitFor(
    async () => {
      const snapshot = await firstOf(await separate.system.live({ range: '5m' }));
      expect(snapshot.refusals).toMatchObject({ source: 'store', windowMs: 300_000 });
      const rows = snapshot.refusals?.rows ?? [];
      expect(rows.find((r) => r.sender === 'far-sender')).toMatchObject({
        reason: 'invalid_items',
        signal: 'metrics',
        items: 5,
        requests: 1,
      });
      // The earlier sender's counts reached the store too (the periodic self-telemetry or the write above).
      expect(rows.find((r) => r.sender === 'bad-sender')).toMatchObject({ items: 7, requests: 2 });
      // Nothing else was refused: nobody is named who sent nothing wrong.
      expect(rows.map((r) => r.sender).sort()).toEqual(['bad-sender', 'far-sender']);
    },
    { timeout: 15_000, interval: 1_000 },
  );
});

it('charts a range from the collector’s self-telemetry in the store', async () => {
  const collector = running.collector;
  if (!collector) throw new Error('the test needs the in-process collector');
  const before = collector.stats();
  await collector.writeSelfTelemetry();
  const written = Date.now();
  // The history ends at the last step (10 s, the self-telemetry interval) that ended HISTORY_DELAY_MS ago.
  await new Promise((resolve) => setTimeout(resolve, 10_000 - (written % 10_000) + HISTORY_DELAY_MS + 100));
  const viewer = viewerOf({ ...running.services, collector: null });
  await vi.waitFor(
    async () => {
      const history = await viewer.system.history({ range: '5m' });
      expect(history).toMatchObject({ range: '5m', stepSeconds: 10, serviceName: 'collector' });
      expect(history.to - history.from).toBe(300_000);
      expect(history.to).toBeGreaterThan(written);
      const total = (key: 'pointsPerSec' | 'rejectedPerSec') =>
        history.rates.reduce((sum, r) => sum + r[key] * history.stepSeconds, 0);
      // Every point and rejected item the collector had counted before its write above is in some
      // step; at most what it has counted by now (the alert engine's own metrics keep arriving).
      const after = collector.stats();
      expect(total('pointsPerSec')).toBeGreaterThanOrEqual(before.receivedPoints - 1e-6);
      expect(total('pointsPerSec')).toBeLessThanOrEqual(after.receivedPoints + 1e-6);
      expect(total('rejectedPerSec')).toBeCloseTo(after.rejectedPoints, 6);
      expect(history.rates.every((r) => r.t > history.from && r.t <= history.to)).toBe(true);
      expect(history.inserts.length).toBeGreaterThanOrEqual(1);
      expect(history.inserts.every((p) => (p.insertP95Ms ?? 0) >= (p.insertP50Ms ?? 0))).toBe(true);
    },
    { timeout: 15_000, interval: 2_000 },
  );
  await expect(viewer.system.history({ range: '2h' as '5m' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
});
