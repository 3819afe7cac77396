// The collector's write path, everything between a decoded request and the store: the on-disk
// queue and its replayer, the batch writer, the request ledger that recognises a client's retry,
// cumulative-to-delta state carried across restarts, and the store's health and insert latency.
// Opened before the server listens; closed after it stops, so nothing acknowledged is lost.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CumulativeToDelta } from '../normalise/cumulative-to-delta.ts';
import { saveDeltaState, takeDeltaState } from '../normalise/delta-state-file.ts';
import { DiskQueue } from '../queue/disk-queue.ts';
import { Replayer } from '../queue/replayer.ts';
import type { Store } from '../store/create-store.ts';
import { BatchWriter, type BatchWriterOptions } from '../write/batch-writer.ts';
import { StoreHealth } from '../write/insert.ts';
import { InsertLatency } from '../write/insert-latency.ts';
import { RequestLedger } from './request-ledger.ts';
import type { CollectorCounters, CollectorStats } from './self-telemetry.ts';

export interface WritePathOptions {
  store: Store;
  batch?: BatchWriterOptions | undefined;
  /** Folder of the on-disk queue; default beside an embedded store's data, else a temporary one. */
  queueDir?: string | undefined;
  queue?:
    | { maxBytes?: number; segmentBytes?: number; replayBackoffMs?: { minMs: number; maxMs: number } }
    | undefined;
  ledger?: { windowMs?: number; maxEntries?: number } | undefined;
  /** Counts from here on (delta state restored from a previous run keeps its own starts). */
  startedAtUnixNano: bigint;
}

export interface WritePath {
  queue: DiskQueue;
  ledger: RequestLedger;
  writer: BatchWriter;
  replayer: Replayer;
  deltas: CumulativeToDelta;
  insertLatency: InsertLatency;
  health: StoreHealth;
  /** Everything /metrics reports: the request counters given, with the write path's own. */
  stats(counters: CollectorCounters, inFlightBytes: number): CollectorStats;
  /** Flushes the writer, saves the delta state and drains the queue into the store. */
  close(): Promise<void>;
}

function defaultQueueDir(store: Store): string {
  if (store.dataDir) return join(store.dataDir, 'collector-queue');
  console.warn(
    'collector: no queueDir given for a server store; the on-disk queue will not survive a restart',
  );
  return mkdtempSync(join(tmpdir(), 'collector-queue-'));
}

export async function openWritePath(options: WritePathOptions): Promise<WritePath> {
  const queueDir = options.queueDir ?? defaultQueueDir(options.store);
  const queue = await DiskQueue.open(queueDir, options.queue);
  // Beside the queue, so a retried request is recognised across a restart as its rows are replayed.
  const ledger = new RequestLedger(queueDir, options.ledger);
  const health = new StoreHealth();
  const insertLatency = new InsertLatency();
  const writer = new BatchWriter(options.store.client, queue, options.batch, health, insertLatency);
  const replayer = new Replayer(
    options.store.client,
    queue,
    options.queue?.replayBackoffMs,
    health,
    (token) => writer.alreadyStored(token),
    insertLatency,
    () => writer.replayLingerMs(),
  );
  replayer.start();
  const deltas = new CumulativeToDelta({ startedAtUnixNano: options.startedAtUnixNano });
  const savedDeltas = takeDeltaState(queueDir, (line) => console.warn(`collector: ${line}`));
  if (savedDeltas) deltas.restore(savedDeltas);
  return {
    queue,
    ledger,
    writer,
    replayer,
    deltas,
    insertLatency,
    health,
    stats: (counters, inFlightBytes) => ({
      ...counters,
      repeatedRequests: ledger.repeats,
      writtenRows: writer.stats.rows,
      queuedRows: writer.stats.queuedRows,
      replayedRows: replayer.stats.replayedRows,
      droppedRows: replayer.stats.droppedRows,
      insertFailures: writer.stats.insertFailures,
      replayFailures: replayer.stats.replayFailures,
      queueBytes: queue.pendingBytes,
      queueMaxBytes: queue.maxBytes,
      queueBatches: queue.pendingRecords,
      queueFull: queue.full,
      inFlightBytes,
      storeError: health.error,
      storeInsertLastMinute: insertLatency.recent(),
    }),
    async close() {
      await writer.flush();
      // Every point is durable now: the state matches what is stored.
      saveDeltaState(queueDir, deltas);
      // What waits in the queue to be coalesced goes now (a store that fails leaves it for the next start).
      await replayer.stop({ drain: true });
      await queue.close();
    },
  };
}
