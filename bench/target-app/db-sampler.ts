// What PostgreSQL did during a phase: the buffer pages the bench database touched (hit or read) —
// a query's work whatever CPU share it got, so a phase whose searches got costlier shows here — and
// the cars table's vacuums and dead row versions (each price change leaves one behind, and makes
// index-only scans visit the heap for its page until a vacuum). Read from the statistics views at
// the start and end of the window (they lag by up to a second).
import pg from 'pg';

type Counters = { buffers: number; vacuums: number; deadRows: number; updates: number };

export type DatabaseWindow = {
  /** Buffer pages hit or read by the database's backends over the window. */
  buffers: number;
  /** Vacuums of cars (auto or manual) that finished in the window. */
  carVacuums: number;
  /** Dead row versions in cars at the window's end. */
  carDeadRows: number;
  carUpdates: number;
};

async function read(url: string): Promise<Counters | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<Record<keyof Counters, string>>(
      `SELECT (SELECT blks_hit + blks_read FROM pg_stat_database WHERE datname = current_database()) AS buffers,
              autovacuum_count + vacuum_count AS vacuums, n_dead_tup AS "deadRows", n_tup_upd AS updates
         FROM pg_stat_user_tables WHERE relname = 'cars'`,
    );
    const row = rows[0];
    if (!row) return null;
    return {
      buffers: Number(row.buffers),
      vacuums: Number(row.vacuums),
      deadRows: Number(row.deadRows),
      updates: Number(row.updates),
    };
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts a window now; the returned function ends it (null when the statistics cannot be read). */
export async function beginDatabaseWindow(url: string): Promise<() => Promise<DatabaseWindow | null>> {
  const start = await read(url);
  return async () => {
    const end = await read(url);
    if (start === null || end === null) return null;
    return {
      buffers: end.buffers - start.buffers,
      carVacuums: end.vacuums - start.vacuums,
      carDeadRows: end.deadRows,
      carUpdates: end.updates - start.updates,
    };
  };
}
