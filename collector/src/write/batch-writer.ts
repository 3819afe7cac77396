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
import { LightTraffic } from './light-traffic.ts';
import type { Row } from './row-columns.ts';

export interface BatchWriterOptions {
  maxRows?: number;
  /**
   * Longest a row waits for its batch while the store is idle (default 100 ms): rows gather for up
   * to this long so that many small requests share one insert — or until the batch has as many
   * writes as the last one carried (those callers are back). Batches bound for the on-disk queue
   * (an fsync'd append costs little) do not wait.
   */
  maxDelayMs?: number;
  /**
   * Group commit (default true): one batch per table is in flight at a time; rows arriving
   * meanwhile gather into the next batch, which goes as soon as the one in flight ends (if its
   * oldest row has waited maxDelayMs, else when it has). The busier the store, the bigger the
   * batches: each insert has a fixed cost (a part per table and per rollup view, tens of ms of CPU
   * on the embedded store, which runs one statement at a time), so many small requests must become
   * few large inserts; a second concurrent batch would only wait behind the first in the store
   * (eating into its insert timeout) and make both smaller. A batch is closed at maxRows. Off: each
   * batch goes after maxDelayMs or at maxRows, whatever is in flight.
   */
  groupCommit?: boolean;

  /** A direct insert slower than this is handed to the queue instead (default 2000 ms). */
  insertTimeoutMs?: number;
  /**
   * 'insert' (default): insert directly, queue only when the store fails or is slow.
   * 'queue': every batch goes through the fsync'd queue (acknowledged after the append).
   */
  ackAfter?: 'insert' | 'queue';
  /**
   * Light traffic (default 0: off): while fewer than coalesceBelowRowsPerSecond rows arrive a
   * second, batches go to the fsync'd queue (their callers acknowledged after the append, as with
   * ackAfter 'queue'), where the replayer lets them gather for up to this long and stores them as
   * one insert per table. An insert costs much the same whatever its size (a part per table and
   * per rollup view, each merged again later), so a quiet source exporting every second no longer
   * costs an insert per table per second; its rows become visible to store readers up to this much
   * later (the accepted-metrics listeners still get them on acknowledgement).
   * A function is asked anew at every decision, so the window can follow conditions the host
   * knows (the all-in-one process lengthens it while nobody views the dashboard).
   */
  coalesceMs?: number | (() => number);
  /** Rows a second (this one or the last) below which traffic counts as light (default 1000). */
  coalesceBelowRowsPerSecond?: number;
}

interface Pending {
  rows: Row[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
  timer: NodeJS.Timeout | undefined;
  /** performance.now() when the batch's first row arrived. */
  since: number;
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
  /** Per table, batches in arrival order: closed ones (maxRows reached) first, the open one last. */
  private readonly pending = new Map<string, Pending[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxRows: number;
  private readonly maxDelayMs: number;
  private readonly insertTimeoutMs: number;
  private readonly ackAfter: 'insert' | 'queue';
  private readonly groupCommit: boolean;
  private readonly coalesceMs: () => number;
  private readonly traffic: LightTraffic;
  private idleFlush: NodeJS.Timeout | undefined;
  /**
   * Writes (one per table per request) the last group flush carried. Their callers, once
   * acknowledged, tend to send again at once (an exporter sends its next batch after the ack), so
   * a batch that has gathered as many writes has everyone it is likely to get and need not linger.
   */
  private lastFlushWrites = 0;
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
    const coalesceMs = options.coalesceMs ?? 0;
    this.coalesceMs = typeof coalesceMs === 'function' ? coalesceMs : () => coalesceMs;
    this.traffic = new LightTraffic(options.coalesceBelowRowsPerSecond ?? 1000);
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
    for (const batches of this.pending.values()) for (const batch of batches) n += batch.rows.length;
    return n;
  }

  /** Light traffic is being coalesced: batches go through the queue and gather there. */
  get coalescing(): boolean {
    return this.coalesceMs() > 0 && this.traffic.light;
  }

  /** How long the replayer lets queued batches gather: the window while coalescing, else its own. */
  replayLingerMs(): number | undefined {
    return this.coalescing ? this.coalesceMs() : undefined;
  }

  /** Resolves once every row is durable (stored or queued); rejects if it could not be made so. */
  write(table: string, rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    this.traffic.note(rows.length);
    let batches = this.pending.get(table);
    if (!batches) {
      batches = [];
      this.pending.set(table, batches);
    }
    let batch = batches.at(-1);
    // A batch that reached maxRows is closed: it waits for its turn, newer rows start the next.
    if (!batch || batch.rows.length >= this.maxRows) {
      const opened: Pending = { rows: [], waiters: [], timer: undefined, since: performance.now() };
      if (!this.groupCommit) opened.timer = setTimeout(() => this.flushTable(table), this.maxDelayMs);
      batches.push(opened);
      batch = opened;
    }
    const target = batch;
    const done = new Promise<void>((resolve, reject) => target.waiters.push({ resolve, reject }));
    for (const row of rows) target.rows.push(row);
    if (this.groupCommit) this.flushWhenIdle();
    else if (target.rows.length >= this.maxRows) this.flushTable(table);
    return done;
  }

  /**
   * Group commit: once nothing is in flight, the oldest batch of every table goes together (the
   * tables of one request share the flush), when one is full or its oldest row has waited
   * maxDelayMs — at once when bound for the queue.
   */
  private flushWhenIdle(): void {
    if (!this.groupCommit || this.inFlight.size > 0) return;
    const wait = this.lingerLeftMs();
    if (wait === undefined) return;
    if (this.idleFlush) {
      if (wait > 0) return; // already due no later than this
      clearTimeout(this.idleFlush);
    }
    this.idleFlush = setTimeout(
      () => {
        this.idleFlush = undefined;
        if (this.inFlight.size > 0) return;
        this.lastFlushWrites = 0;
        for (const table of [...this.pending.keys()]) this.lastFlushWrites += this.flushTable(table);
      },
      Math.max(0, wait),
    );
  }

  /** How long pending rows may still gather (0: go now); undefined when nothing is pending. */
  private lingerLeftMs(): number | undefined {
    if (this.pending.size === 0) return undefined;
    if (this.ackAfter === 'queue' || this.queue.pendingRecords > 0) return 0;
    let wait = Number.POSITIVE_INFINITY;
    let writes = 0;
    for (const batches of this.pending.values()) {
      const oldest = batches[0];
      if (!oldest) continue;
      if (batches.length > 1 || oldest.rows.length >= this.maxRows) return 0;
      wait = Math.min(wait, oldest.since + this.maxDelayMs - performance.now());
      writes += oldest.waiters.length;
    }
    if (wait === Number.POSITIVE_INFINITY) return undefined;
    return this.lastFlushWrites > 0 && writes >= this.lastFlushWrites ? 0 : wait;
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0 || this.inFlight.size > 0) {
      for (const table of [...this.pending.keys()]) while (this.pending.has(table)) this.flushTable(table);
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /** Sends the table's oldest pending batch on its way to durability; returns its writes. */
  private flushTable(table: string): number {
    const batches = this.pending.get(table);
    const batch = batches?.shift();
    if (!batches || !batch) return 0;
    if (batches.length === 0) this.pending.delete(table);
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
    return batch.waiters.length;
  }

  private async makeDurable(table: string, rows: Row[], token: string): Promise<void> {
    // Once anything is queued, newer batches queue behind it until the replayer catches up.
    let attempted = false;
    if (this.ackAfter === 'insert' && this.queue.pendingRecords === 0 && !this.coalescing) {
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
