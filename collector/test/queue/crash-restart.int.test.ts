// Durability across crashes: the collector process (src/main.ts, as deployed) is killed with
// SIGKILL mid-ingest — once acknowledging after the fsync'd queue append, once after the insert —
// and restarted on the same DATA_DIR. Afterwards every acknowledged point is stored exactly once.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/index.ts';
import {
  exited,
  freePort,
  missingAndDoubled,
  queueDrained,
  startCollectorProcess,
} from '../support/collector-process.ts';
import { steadyIngest } from '../support/steady-ingest.ts';

const dir = mkdtempSync(join(tmpdir(), 'crash-restart-'));
let child: ChildProcess | undefined;
let store: Store | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const startChild = (port: number, ackAfter: 'insert' | 'queue') =>
  startCollectorProcess({ DATA_DIR: dir, COLLECTOR_PORT: String(port), COLLECTOR_ACK_AFTER: ackAfter });

it('keeps every acknowledged point exactly once when the collector is SIGKILLed and restarted', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  child = await startChild(port, 'queue');
  const ingest = steadyIngest({ url: () => url, service: 'crash', clients: 4, pauseMs: 5 });
  for (const next of ['insert', 'insert'] as const) {
    await sleep(1000);
    const before = ingest.acked.size;
    child.kill('SIGKILL');
    await exited(child);
    expect(before).toBeGreaterThan(0);
    child = await startChild(port, next);
  }
  await sleep(1000);
  await ingest.stop();
  await queueDrained(url);
  child.kill('SIGTERM');
  await exited(child);
  child = undefined;

  store = await createStore({ dataDir: join(dir, 'chdb') });
  const { missing, doubled } = await missingAndDoubled(store, 'crash', ingest.acked);
  expect(ingest.acked.size).toBeGreaterThan(50);
  expect(ingest.statuses[0]).toBeGreaterThan(0); // requests really were cut off by the kills
  expect(missing).toEqual([]);
  expect(doubled).toEqual([]);
});
