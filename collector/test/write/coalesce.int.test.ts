// Coalescing while traffic is light: batches are acknowledged once fsync'd to the on-disk queue and
// stored together, one insert per table per window — and still handed to the accepted-metrics
// listeners at acknowledgement. Heavier traffic is inserted directly. Shutting down stores what
// waits. Every acknowledged point is stored exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CollectorServer, createStore, type Store, startCollector } from '../../src/index.ts';
import { steadyIngest } from '../support/steady-ingest.ts';
import { storedProbes } from '../support/stored-probes.ts';

const dir = mkdtempSync(join(tmpdir(), 'coalesce-'));
let store: Store;

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store's client, counting inserts per table. */
function countingStore(): { store: Store; inserts: Map<string, number> } {
  const inserts = new Map<string, number>();
  const insert: ClickHouseClient['insert'] = (params) => {
    inserts.set(params.table, (inserts.get(params.table) ?? 0) + 1);
    return store.client.insert(params);
  };
  const client = new Proxy(store.client, {
    get: (target, key) => (key === 'insert' ? insert : Reflect.get(target, key)),
  });
  return { store: { ...store, client }, inserts };
}

const stored = (service: string) => storedProbes(store, service);

it('stores light traffic as one insert per table per window, listeners get it on acknowledgement', async () => {
  const counting = countingStore();
  // A window far beyond the test: only the shutdown's drain stores the rows.
  const collector: CollectorServer = await startCollector({
    store: counting.store,
    port: 0,
    queueDir: join(dir, 'queue-light'),
    batch: { coalesceMs: 600_000, coalesceBelowRowsPerSecond: 1_000_000, maxDelayMs: 10 },
  });
  const heard = new Set<string>();
  collector.onAcceptedMetrics((batch) => {
    for (const row of batch.gauge) if (row.ServiceName === 'light') heard.add(row.Attributes.seq ?? '');
  });
  const ingest = steadyIngest({
    url: () => `http://127.0.0.1:${collector.port}`,
    service: 'light',
    clients: 2,
    pointsPerRequest: 5,
    pauseMs: 20,
  });
  while (ingest.acked.size < 200) await sleep(20);
  await ingest.stop();
  expect(ingest.statuses[200]).toBe(ingest.requests);
  expect(ingest.requests).toBeGreaterThanOrEqual(40);
  // Acknowledged and heard by the listeners, not yet stored: nothing was inserted.
  expect([...ingest.acked].every((seq) => heard.has(seq))).toBe(true);
  expect(counting.inserts.get('otel_metrics_gauge') ?? 0).toBe(0);
  expect(await stored('light')).toEqual({ n: 0, u: 0 });
  expect(collector.stats().queueBatches).toBeGreaterThan(0);

  await collector.close();
  expect(counting.inserts.get('otel_metrics_gauge')).toBe(1);
  expect(await stored('light')).toEqual({ n: ingest.acked.size, u: ingest.acked.size });
}, 60_000);

it('inserts directly once coalesceBelowRowsPerSecond rows arrive in a second', async () => {
  const counting = countingStore();
  const collector = await startCollector({
    store: counting.store,
    port: 0,
    queueDir: join(dir, 'queue-large'),
    batch: { coalesceMs: 600_000, coalesceBelowRowsPerSecond: 100, maxDelayMs: 10 },
  });
  try {
    const ingest = steadyIngest({
      url: () => `http://127.0.0.1:${collector.port}`,
      service: 'large',
      clients: 1,
      pointsPerRequest: 150,
    });
    while (ingest.acked.size < 150) await sleep(20);
    await ingest.stop();
    // Stored when acknowledged: no window to wait for.
    expect(await stored('large')).toEqual({ n: ingest.acked.size, u: ingest.acked.size });
    expect(collector.stats().queueBatches).toBe(0);
    expect(counting.inserts.get('otel_metrics_gauge')).toBe(ingest.requests);
  } finally {
    await collector.close();
  }
}, 60_000);

it('asks a window given as a function anew: shortening it stores what waits without a restart', async () => {
  // The all-in-one process lengthens the window while nobody views the dashboard; a viewer shortens it.
  let windowMs = 600_000;
  const collector = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, 'queue-window-fn'),
    batch: { coalesceMs: () => windowMs, coalesceBelowRowsPerSecond: 1_000_000, maxDelayMs: 10 },
  });
  let closed = false;
  try {
    const ingest = steadyIngest({
      url: () => `http://127.0.0.1:${collector.port}`,
      service: 'window-fn',
      clients: 1,
      pointsPerRequest: 5,
      pauseMs: 50,
    });
    while (ingest.acked.size < 50) await sleep(20);
    expect(await stored('window-fn')).toEqual({ n: 0, u: 0 });
    windowMs = 200;
    // The next append wakes the replayer, which asks the window again: the waiting rows go now.
    const until = Date.now() + 10_000;
    while ((await stored('window-fn')).n < 50 && Date.now() < until) await sleep(100);
    await ingest.stop();
    expect((await stored('window-fn')).n).toBeGreaterThanOrEqual(50);
    await collector.close();
    closed = true;
    expect(await stored('window-fn')).toEqual({ n: ingest.acked.size, u: ingest.acked.size });
  } finally {
    if (!closed) await collector.close();
  }
}, 60_000);
