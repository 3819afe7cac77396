// Batches rows per table and inserts them together. A caller's promise settles only when the
// insert holding its rows has completed, so the receiver acknowledges nothing that isn't stored.
// Each batch carries an insert_deduplication_token, so retrying a batch never doubles it.
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Row } from './rows.ts';

export interface BatchWriterOptions {
  maxRows?: number;
  maxDelayMs?: number;
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
}

export class BatchWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly maxRows: number;
  private readonly maxDelayMs: number;
  readonly stats: BatchWriterStats = { batches: 0, rows: 0, failedBatches: 0 };
  private readonly client: ClickHouseClient;

  constructor(client: ClickHouseClient, options: BatchWriterOptions = {}) {
    this.client = client;
    this.maxRows = options.maxRows ?? 10_000;
    this.maxDelayMs = options.maxDelayMs ?? 100;
  }

  /** Resolves once every row has been inserted; rejects if their insert failed. */
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
    return done;
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
    const insert = this.client
      .insert({
        table,
        values: batch.rows,
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: randomUUID() },
      })
      .then(
        () => {
          this.stats.batches++;
          this.stats.rows += batch.rows.length;
          for (const w of batch.waiters) w.resolve();
        },
        (error: unknown) => {
          this.stats.failedBatches++;
          for (const w of batch.waiters) w.reject(error);
        },
      )
      .finally(() => this.inFlight.delete(insert));
    this.inFlight.add(insert);
  }
}
