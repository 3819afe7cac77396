// Durability across a store outage: under steady ingest the store refuses writes, is slow, times
// out, and lands writes but loses the acknowledgement; afterwards every acknowledged point is in the
// store exactly once. Here the outage lasts OUTAGE_SECONDS (default 6 s, for the CI budget); the
// full 60 s outage the collector's durability contract is held to runs in its benchmark,
// `node bench/collector-outage.ts` (the same scenario: test/support/store-outage-scenario.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type CollectorServer, createStore, type Store, startCollector } from '../../src/index.ts';
import { faultyStore } from '../support/faulty-store.ts';
import { steadyIngest } from '../support/steady-ingest.ts';
import { runStoreOutage } from '../support/store-outage-scenario.ts';

const outageMs = Number(process.env.OUTAGE_SECONDS ?? 6) * 1000;
const dir = mkdtempSync(join(tmpdir(), 'store-outage-'));
let store: Store | undefined;
let collector: CollectorServer | undefined;
afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(100);
  }
}

it(
  'keeps every acknowledged point exactly once through refused, slow, timed-out and lost-ack writes',
  async () => {
    store = await createStore({ dataDir: join(dir, 'chdb') });
    const outage = await runStoreOutage({ store, queueDir: join(dir, 'queue'), outageMs });
    console.log(
      `drained ${outage.backlogBatches} batches in ${outage.drainMs} ms`,
      JSON.stringify(outage.stats),
    );
    expect(outage.acked).toBeGreaterThan(50);
    expect(outage.missing).toEqual([]);
    expect(outage.doubled).toEqual([]);
    // The faults really happened: batches went through the queue and the replayer.
    const s = outage.stats;
    expect(s.storeError).toBeNull();
    expect(outage.sawFailing).toBe(true);
    expect(s.queuedRows).toBeGreaterThan(0);
    expect(s.replayedRows).toBe(s.queuedRows);
    expect(s.droppedRows).toBe(0);
    expect(outage.metrics).toMatch(/^collector_replayed_rows_total [1-9]\d*$/m);
    expect(outage.metrics).toMatch(/^collector_queue_batches 0$/m);
  },
  outageMs * 3 + 60_000,
);

it('refuses with 503 and Retry-After once the queue is full, and loses nothing it acknowledged', async () => {
  if (!store) throw new Error('the first test opens the store');
  await collector?.close();
  const faulty = faultyStore(store);
  collector = await startCollector({
    store: faulty.store,
    port: 0,
    queueDir: join(dir, 'small-queue'),
    batch: { maxDelayMs: 20, insertTimeoutMs: 300 },
    queue: { maxBytes: 64 * 1024, replayBackoffMs: { minMs: 50, maxMs: 200 } },
  });
  const url = `http://127.0.0.1:${collector.port}`;
  faulty.fault = { type: 'refuse' };
  const ingest = steadyIngest({ url: () => url, service: 'full-queue', clients: 4, maxRetryWaitMs: 100 });
  await until(() => (ingest.statuses[503] ?? 0) > 5, 30_000);
  const notReady = await fetch(`${url}/ready`);
  expect(notReady.status).toBe(503);
  expect(((await notReady.json()) as { queue: { state: string } }).queue.state).toBe('full');
  const refused = await fetch(`${url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: new Uint8Array(0),
  });
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  faulty.fault = { type: 'none' };
  await ingest.stop();
  await until(() => collector?.stats().queueBatches === 0, 60_000);
  const result = await store.client.query({
    query: `SELECT Attributes['seq'] AS seq, count() AS n FROM otel_metrics_gauge
      WHERE ServiceName = 'full-queue' GROUP BY seq`,
    format: 'JSONEachRow',
  });
  const stored = new Map((await result.json<{ seq: string; n: string }>()).map((r) => [r.seq, Number(r.n)]));
  expect([...ingest.acked].filter((seq) => !stored.has(seq))).toEqual([]);
  expect([...stored].filter(([, n]) => n > 1)).toEqual([]);
  expect(collector.stats().throttledRequests).toBeGreaterThan(0);
  expect(collector.stats().droppedRows).toBe(0);
});
