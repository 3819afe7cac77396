// One idempotent insert of a batch: the batch's insert_deduplication_token makes a repeat of the
// same batch (a replay, or a retry after a timeout whose insert did land) a no-op in the store.
import type { ClickHouseClient } from '@clickhouse/client';
import type { InsertLatency } from './insert-latency.ts';
import type { Row } from './row-columns.ts';

export class InsertTimeoutError extends Error {
  override name = 'InsertTimeoutError';
}

/**
 * The batch's column names when every row has exactly the same keys, all defined (as the row
 * builders make them), else null. Arrays of values in that order parse faster in the store than keyed objects.
 */
function sharedColumns(rows: Row[]): [string, ...string[]] | null {
  const first = rows[0];
  if (!first) return null;
  const columns = Object.keys(first);
  if (columns.length === 0) return null;
  for (const row of rows) {
    if (Object.keys(row).length !== columns.length) return null;
    // An undefined value is left out of a JSON object (the column's default) but would be null here.
    for (const column of columns) if (row[column] === undefined) return null;
  }
  return columns as [string, ...string[]];
}

export function insertBatch(client: ClickHouseClient, table: string, rows: Row[], token: string) {
  const settings = { insert_deduplication_token: token };
  const columns = sharedColumns(rows);
  if (!columns)
    return client.insert({ table, values: rows, format: 'JSONEachRow', clickhouse_settings: settings });
  return client.insert({
    table,
    values: rows.map((row) => columns.map((column) => row[column])),
    columns,
    format: 'JSONCompactEachRow',
    clickhouse_settings: settings,
  });
}

/** Awaits an insert, recording how long it took (and whether it worked) per signal. */
export async function timedInsert<T>(
  latency: InsertLatency | undefined,
  signal: string,
  insert: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  try {
    const result = await insert();
    latency?.record(signal, 'success', (performance.now() - started) / 1000);
    return result;
  } catch (error) {
    latency?.record(signal, 'failure', (performance.now() - started) / 1000);
    throw error;
  }
}

/** Settles within timeoutMs; the insert itself may still land later (the token makes that safe). */
export async function insertWithin(
  client: ClickHouseClient,
  table: string,
  rows: Row[],
  token: string,
  timeoutMs: number,
  landedLate?: (token: string) => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const insert = insertBatch(client, table, rows, token);
  // After a timeout the batch is queued; if the insert then succeeds, the replayer may skip it.
  insert.then(
    () => {
      if (timedOut) landedLate?.(token);
    },
    () => {},
  );
  try {
    await Promise.race([
      insert,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new InsertTimeoutError(`insert into ${table} took over ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// ClickHouse errors that no retry can fix: the batch itself is bad (parse, types, unknown column).
const permanent =
  /Cannot parse|CANNOT_PARSE|TYPE_MISMATCH|INCORRECT_DATA|NO_SUCH_COLUMN|Unknown (table|column)|ARGUMENT_OUT_OF_BOUND|Code: (6|26|27|41|53|69|117)\b/;

export function isPermanentInsertError(error: unknown): boolean {
  return permanent.test(String((error as Error)?.message ?? error));
}

/** The store's state as the most recent write saw it (direct insert or replay, whichever was last). */
export class StoreHealth {
  error: string | null = null;
  ok(): void {
    this.error = null;
  }
  failed(error: unknown): void {
    this.error = String((error as Error)?.message ?? error);
  }
}
