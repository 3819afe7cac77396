// Batches rows per table and makes each batch durable before its callers are acknowledged:
// inserted into the store, or — when the store fails, is slow, or the queue already holds older
// batches — appended (fsync'd) to the on-disk queue, which the replayer drains. A caller's promise
// resolves only once its rows are durable; it rejects only if neither worked (queue full → 503).
// Each batch carries an insert_deduplication_token, kept with it in the queue, so a batch that
// reaches the store twice is stored once.
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { DiskQueue } from '../queue/disk-queue.ts';
import { insertWithin, StoreHealth, timedInsert } from './insert.ts';
import type { InsertLatency } from './insert-latency.ts';
import type { Row } from './rows.ts';

export interface BatchWriterOptions {
  maxRows?: number;
  /** Longest a row waits for its batch while the store is busy with earlier ones (default 100 ms). */
  maxDelayMs?: number;
  /**
   * Group commit (default true) for batches bound for the on-disk queue (ackAfter 'queue', or the
   * queue already holds batches): when nothing is being made durable, pending rows go at once;
   * while an append runs, rows arriving meanwhile gather into the next batch, which goes as soon
   * as it ends. An fsync'd append costs little and the replayer merges appends into large inserts,
   * so acknowledgements need not wait for maxDelayMs. Direct inserts keep maxRows/maxDelayMs
   * batching: each insert into the store has a fixed cost (a part per table, the rollup views),
   * measured at 20–50 ms on the embedded store, so there fewer, larger batches win.
   */
  groupCommit?: boolean;

  /** A direct insert slower than this is handed to the queue instead (default 2000 ms). */
  insertTimeoutMs?: number;
  /**
   * 'insert' (default): insert directly, queue only when the store fails or is slow.
   * 'queue': every batch goes through the fsync'd queue (acknowledged after the append).
   */
  ackAfter?: 'insert' | 'queue';
}

interface Pending {
  rows: Row[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
  timer: NodeJS.Timeout | undefined;
}

export interface BatchWriterStats {
  batches: number;
  rows: number;
  failedBatches: number;
  /** Rows appended to the on-disk queue. */
  queuedRows: number;
  /** Direct inserts that failed or timed out (their batches went to the queue). */
  insertFailures: number;
  lastInsertError: string | null;
  /** Rows inserted / queued per table (self-telemetry reports them per signal). */
  rowsByTable: Record<string, number>;
  queuedRowsByTable: Record<string, number>;
}

/** The signal a table holds, the grouping self-telemetry reports rows and insert times by. */
export function signalOfTable(table: string): 'metrics' | 'traces' | 'logs' {
  return table.startsWith('otel_traces') ? 'traces' : table.startsWith('otel_logs') ? 'logs' : 'metrics';
}

export function addTo(counts: Record<string, number>, key: string, n: number): void {
  counts[key] = (counts[key] ?? 0) + n;
}

export class BatchWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxRows: number;
  private readonly maxDelayMs: number;
  private readonly insertTimeoutMs: number;
  private readonly ackAfter: 'insert' | 'queue';
  private readonly groupCommit: boolean;
  private idleFlushScheduled = false;
  readonly stats: BatchWriterStats = {
    batches: 0,
    rows: 0,
    failedBatches: 0,
    queuedRows: 0,
    insertFailures: 0,
    lastInsertError: null,
    rowsByTable: {},
    queuedRowsByTable: {},
  };
  private readonly client: ClickHouseClient;
  private readonly queue: DiskQueue;
  private readonly health: StoreHealth;
  private readonly latency: InsertLatency | undefined;
  /** Tokens of batches whose direct insert succeeded (also after timing out); bounded below. */
  private readonly landed = new Set<string>();

  constructor(
    client: ClickHouseClient,
    queue: DiskQueue,
    options: BatchWriterOptions = {},
    health = new StoreHealth(),
    latency?: InsertLatency,
  ) {
    this.latency = latency;
    this.client = client;
    this.queue = queue;
    this.health = health;
    this.maxRows = options.maxRows ?? 10_000;
    this.maxDelayMs = options.maxDelayMs ?? 100;
    this.insertTimeoutMs = options.insertTimeoutMs ?? 2000;
    this.ackAfter = options.ackAfter ?? 'insert';
    this.groupCommit = options.groupCommit ?? true;
  }

  /** Whether a batch's direct insert is known to have succeeded, so replaying it can be skipped. */
  alreadyStored(token: string): boolean {
    return this.landed.delete(token);
  }

  private noteLanded(token: string): void {
    this.landed.add(token);
    if (this.landed.size > 10_000) this.landed.delete(this.landed.values().next().value ?? '');
  }

  /** Rows waiting in memory for their batch (bounded by the receiver's in-flight limit). */
  get pendingRows(): number {
    let n = 0;
    for (const batch of this.pending.values()) n += batch.rows.length;
    return n;
  }

  /** Resolves once every row is durable (stored or queued); rejects if it could not be made so. */
  write(table: string, rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    let batch = this.pending.get(table);
    if (!batch) {
      batch = { rows: [], waiters: [], timer: undefined };
      this.pending.set(table, batch);
      batch.timer = setTimeout(() => this.flushTable(table), this.maxDelayMs);
    }
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    for (const row of rows) batch.rows.push(row);
    if (batch.rows.length >= this.maxRows) this.flushTable(table);
    else this.flushWhenIdle();
    return done;
  }

  /**
   * Group commit: flushes every pending table once nothing is in flight — on the next turn of the
   * event loop, so the tables of one request (and requests decoded in the same turn) go together.
   */
  private flushWhenIdle(): void {
    if (!this.groupCommit || this.idleFlushScheduled || this.inFlight.size > 0) return;
    if (this.ackAfter === 'insert' && this.queue.pendingRecords === 0) return;
    this.idleFlushScheduled = true;
    setImmediate(() => {
      this.idleFlushScheduled = false;
      if (this.inFlight.size === 0) for (const table of [...this.pending.keys()]) this.flushTable(table);
    });
  }

  async flush(): Promise<void> {
    for (const table of [...this.pending.keys()]) this.flushTable(table);
    await Promise.allSettled([...this.inFlight]);
  }

  private flushTable(table: string): void {
    const batch = this.pending.get(table);
    if (!batch) return;
    this.pending.delete(table);
    clearTimeout(batch.timer);
    const durable = this.makeDurable(table, batch.rows, randomUUID())
      .then(
        () => {
          for (const w of batch.waiters) w.resolve();
        },
        (error: unknown) => {
          this.stats.failedBatches++;
          for (const w of batch.waiters) w.reject(error);
        },
      )
      .finally(() => {
        this.inFlight.delete(durable);
        // What arrived while this batch was in flight goes now, as one batch per table.
        if (this.pending.size > 0) this.flushWhenIdle();
      });
    this.inFlight.add(durable);
  }

  private async makeDurable(table: string, rows: Row[], token: string): Promise<void> {
    // Once anything is queued, newer batches queue behind it until the replayer catches up.
    let attempted = false;
    if (this.ackAfter === 'insert' && this.queue.pendingRecords === 0) {
      attempted = true;
      try {
        await timedInsert(this.latency, signalOfTable(table), () =>
          insertWithin(this.client, table, rows, token, this.insertTimeoutMs, (t) => this.noteLanded(t)),
        );
        this.stats.batches++;
        this.stats.rows += rows.length;
        addTo(this.stats.rowsByTable, table, rows.length);
        this.stats.lastInsertError = null;
        this.health.ok();
        return;
      } catch (error) {
        this.stats.insertFailures++;
        this.stats.lastInsertError = String((error as Error)?.message ?? error);
        this.health.failed(error);
      }
    }
    await this.queue.append({ table, token, rows, attempted });
    this.stats.queuedRows += rows.length;
    addTo(this.stats.queuedRowsByTable, table, rows.length);
  }
}
