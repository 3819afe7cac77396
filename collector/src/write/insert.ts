// One idempotent insert of a batch: the batch's insert_deduplication_token makes a repeat of the
// same batch (a replay, or a retry after a timeout whose insert did land) a no-op in the store.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Row } from './rows.ts';

export class InsertTimeoutError extends Error {
  override name = 'InsertTimeoutError';
}

export function insertBatch(client: ClickHouseClient, table: string, rows: Row[], token: string) {
  return client.insert({
    table,
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: token },
  });
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
