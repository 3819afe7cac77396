// Group commit for batches bound for the on-disk queue: with nothing in flight a request's rows go
// at once (no wait for the batch timer); rows arriving while an append runs share the next batch.
// Every acknowledged point is stored exactly once, as with timed batches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CollectorServer, createStore, type Store, startCollector } from '../../src/index.ts';
import { steadyIngest } from '../support/steady-ingest.ts';

const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
let store: Store;
let collector: CollectorServer;

beforeAll(async () => {
  store = await createStore({ dataDir: join(dir, 'chdb') });
  // A batch timer far beyond the test's timeout: only group commit can acknowledge in time.
  collector = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, 'queue'),
    batch: { ackAfter: 'queue', maxDelayMs: 600_000 },
  });
}, 60_000);
afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('acknowledges queued rows without waiting for the batch timer and stores each point once', async () => {
  const ingest = steadyIngest({
    url: () => `http://127.0.0.1:${collector.port}`,
    service: 'group-commit',
    clients: 8,
    pointsPerRequest: 20,
  });
  while (ingest.acked.size < 400) await sleep(20);
  await ingest.stop();
  expect(ingest.statuses[200]).toBe(ingest.requests);
  while (collector.stats().queueBatches > 0) await sleep(20);
  const result = await store.client.query({
    query: `SELECT count() AS n, uniqExact(Attributes['seq']) AS u FROM otel_metrics_gauge
      WHERE ServiceName = 'group-commit'`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string; u: string }>();
  expect(Number(row?.n)).toBe(ingest.acked.size);
  expect(Number(row?.u)).toBe(ingest.acked.size);
}, 30_000);
