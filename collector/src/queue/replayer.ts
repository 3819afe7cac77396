// Drains the on-disk queue into the store in order. Consecutive batches are merged into one insert
// per table under a plan token that is fsync'd first (cursor.json), so a plan replayed twice (crash
// before the cursor moved) is stored once; a batch whose direct insert may have landed is replayed
// alone with its own token. Transient failures back off and retry the same
// batch; a batch the store rejects for good is moved to dead-letter/ and counted as dropped.
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { addTo, signalOfTable } from '../write/batch-writer.ts';
import { insertBatch, isPermanentInsertError, StoreHealth, timedInsert } from '../write/insert.ts';
import type { InsertLatency } from '../write/insert-latency.ts';
import type { Row } from '../write/row-columns.ts';
import type { DiskQueue, QueueRecord, ReplayPlan } from './disk-queue.ts';

export interface ReplayStats {
  replayedRows: number;
  replayedBatches: number;
  droppedRows: number;
  replayFailures: number;
  lastError: string | null;
  replayedRowsByTable: Record<string, number>;
  droppedRowsByTable: Record<string, number>;
}

export class Replayer {
  readonly stats: ReplayStats = {
    replayedRows: 0,
    replayedBatches: 0,
    droppedRows: 0,
    replayFailures: 0,
    lastError: null,
    replayedRowsByTable: {},
    droppedRowsByTable: {},
  };
  private readonly client: ClickHouseClient;
  private readonly queue: DiskQueue;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private stopped = false;
  /** Stopping after the queue is empty: no lingering, no retries. */
  private draining = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  /** Bounds of one merged replay insert. */
  private readonly maxRecords = 256;
  private readonly maxRows = 20_000;
  /**
   * An insert costs much the same whatever its size (a part per table and per rollup view), so a
   * short run (under half of maxRows) waits up to lingerMs from when it was first seen for more
   * records to join it (250 ms; the writer's coalescing window while traffic is light, asked anew
   * at every look, so a burst ends the wait).
   * Acknowledgements never wait for the replayer; only visibility does.
   */
  private readonly lingerMs: () => number | undefined;
  private shortRunSince: number | undefined;
  private readonly health: StoreHealth;
  /** True for a batch whose direct insert is known to have landed after it was queued. */
  private readonly alreadyStored: (token: string) => boolean;
  private readonly latency: InsertLatency | undefined;

  constructor(
    client: ClickHouseClient,
    queue: DiskQueue,
    backoff = { minMs: 100, maxMs: 5000 },
    health = new StoreHealth(),
    alreadyStored: (token: string) => boolean = () => false,
    latency?: InsertLatency,
    lingerMs: number | (() => number | undefined) = 250,
  ) {
    this.lingerMs = typeof lingerMs === 'function' ? lingerMs : () => lingerMs;
    this.latency = latency;
    this.alreadyStored = alreadyStored;
    this.client = client;
    this.health = health;
    this.queue = queue;
    this.minBackoffMs = backoff.minMs;
    this.maxBackoffMs = backoff.maxMs;
  }

  /** True while the last replay attempt failed (the store is down or refusing). */
  get failing(): boolean {
    return this.stats.lastError !== null;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Stops the loop after its current insert. With drain, it first stores what is queued (at once,
   * without lingering) and stops when the queue is empty or an insert fails (the rest is replayed
   * at the next start); a store already failing is not tried again.
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    if (options.drain && this.loop && !this.failing) this.draining = true;
    else this.stopped = true;
    this.wake?.();
    await this.loop;
    this.stopped = true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** True after waiting for more records to join a short run (the caller looks again). */
  private async lingered(): Promise<boolean> {
    if (this.stopped) return true;
    if (this.draining || this.queue.pendingRows >= this.maxRows / 2) {
      this.shortRunSince = undefined;
      return false;
    }
    this.shortRunSince ??= performance.now();
    const left = this.shortRunSince + (this.lingerMs() ?? 250) - performance.now();
    if (left <= 0) {
      this.shortRunSince = undefined;
      return false;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, left);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
      this.queue.onAppend(done);
    });
    return true;
  }

  private async run(): Promise<void> {
    let backoff = this.minBackoffMs;
    let plan: ReplayPlan | null = this.queue.recoveredPlan;
    // After a merged insert failed for good: tables of that run already stored, and how many of
    // its records are left to go through one at a time.
    let split = { storedTables: new Set<string>(), remaining: 0 };
    while (!this.stopped) {
      if (!plan) {
        const count = this.queue.nextRun(this.maxRecords, this.maxRows);
        if (count === 0) {
          if (this.draining) break;
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            this.queue.onAppend(resolve);
          });
          continue;
        }
        if (await this.lingered()) continue;
        plan = { count, token: randomUUID() };
        await this.queue.savePlan(plan);
      }
      const current: ReplayPlan = plan;
      const records = this.queue.peek(current.count);
      const rows = records.reduce((n, r) => n + r.rows.length, 0);
      const stored = new Set<string>();
      try {
        const due = [...byTable(records, current)].filter(
          ([table, batch]) =>
            !(split.remaining > 0 && split.storedTables.has(table)) &&
            !(records.length === 1 && this.alreadyStored(batch.token)),
        );
        // The tables go at once (the embedded store inserts on sessions of its own, in parallel);
        // each is stored under its own token, so a table that landed is known when another fails.
        const outcomes = await Promise.allSettled(
          due.map(async ([table, batch]) => {
            await timedInsert(this.latency, signalOfTable(table), () =>
              insertBatch(this.client, table, batch.rows, batch.token),
            );
            stored.add(table);
          }),
        );
        const failed = outcomes.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
        await this.queue.commit(current.count);
        split.remaining = Math.max(0, split.remaining - current.count);
        this.stats.replayedRows += rows;
        for (const r of records) addTo(this.stats.replayedRowsByTable, r.table, r.rows.length);
        this.stats.replayedBatches += current.count;
        this.stats.lastError = null;
        this.health.ok();
        backoff = this.minBackoffMs;
        plan = null;
      } catch (error) {
        this.stats.replayFailures++;
        this.stats.lastError = String((error as Error)?.message ?? error);
        this.health.failed(error);
        if (isPermanentInsertError(error) && current.count > 1) {
          // Find the bad batch: replay the rest of the run one batch at a time, own tokens.
          split = { storedTables: stored, remaining: current.count };
          plan = { count: 1, token: this.queue.peek(1)[0]?.token ?? '' };
          await this.queue.savePlan(plan);
        } else if (isPermanentInsertError(error)) {
          await this.queue.deadLetter(current.count, this.stats.lastError);
          split.remaining = Math.max(0, split.remaining - current.count);
          this.stats.droppedRows += rows;
          for (const r of records) addTo(this.stats.droppedRowsByTable, r.table, r.rows.length);
          plan = null;
        } else if (this.draining) {
          break;
        } else {
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, this.maxBackoffMs);
        }
      }
    }
  }
}

/** One insert per table; a lone record keeps its own token, a merged run gets the plan's per table. */
function byTable(records: QueueRecord[], plan: ReplayPlan): Map<string, { rows: Row[]; token: string }> {
  const tables = new Map<string, { rows: Row[]; token: string }>();
  for (const record of records) {
    let batch = tables.get(record.table);
    if (!batch) {
      batch = { rows: [], token: records.length === 1 ? record.token : `${plan.token}:${record.table}` };
      tables.set(record.table, batch);
    }
    for (const row of record.rows) batch.rows.push(row);
  }
  return tables;
}
