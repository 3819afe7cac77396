// Coalescing keeps nothing acknowledged only in memory: a collector process (src/main.ts) holding
// light traffic for a long coalescing window — acknowledged, in its fsync'd queue, not yet
// stored — is SIGKILLed mid-ingest and started again on the same DATA_DIR. Every acknowledged
// point is then stored exactly once.
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

const dir = mkdtempSync(join(tmpdir(), 'coalesce-crash-'));
let child: ChildProcess | undefined;
let store: Store | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const startChild = (port: number, coalesceMs: number) =>
  startCollectorProcess({
    DATA_DIR: dir,
    COLLECTOR_PORT: String(port),
    COLLECTOR_COALESCE_MS: String(coalesceMs),
    COLLECTOR_SELF_TELEMETRY_INTERVAL: '0',
  });

/** The collector's row counters from its /metrics page. */
async function rowCounters(url: string): Promise<Record<'written' | 'queued' | 'replayed', number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    written: value('collector_written_rows_total'),
    queued: value('collector_queued_rows_total'),
    replayed: value('collector_replayed_rows_total'),
  };
}

it('stores every point acknowledged while coalescing exactly once after a SIGKILL', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The longest window (60 s): the 300 points below are acknowledged within a few seconds, and
  // the counters read before the kill show none of them was stored.
  child = await startChild(port, 60_000);
  const ingest = steadyIngest({ url: () => url, service: 'coalesce-crash', clients: 2, pauseMs: 20 });
  while (ingest.acked.size < 300) await sleep(20);
  const before = await rowCounters(url);
  child.kill('SIGKILL');
  await exited(child);
  // Light traffic, all of it acknowledged after the queue's fsync and none of it inserted yet.
  expect(before.written).toBe(0);
  expect(before.replayed).toBe(0);
  expect(before.queued).toBeGreaterThanOrEqual(300);

  child = await startChild(port, 0);
  await ingest.stop();
  await queueDrained(url);
  child.kill('SIGTERM');
  await exited(child);
  child = undefined;

  store = await createStore({ dataDir: join(dir, 'chdb') });
  const { missing, doubled } = await missingAndDoubled(store, 'coalesce-crash', ingest.acked);
  expect(ingest.acked.size).toBeGreaterThanOrEqual(300);
  expect(missing).toEqual([]);
  expect(doubled).toEqual([]);
}, 120_000);
