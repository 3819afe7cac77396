// One interface over both engines: a `pg` Pool to a PostgreSQL server when DATABASE_URL is set, else
// embedded PGlite (PostgreSQL in WASM, in memory). Callers write plain PostgreSQL; only bulk loading
// differs (COPY FROM STDIN on a server, unnest batches on PGlite).
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type Engine = 'pglite' | 'postgresql';

export type Queryable = {
  query<T>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
};

/** One connection: session settings, advisory locks and COPY stay on it. */
export type Session = Queryable & {
  /** Several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** COPY … FROM STDIN fed with text-format lines; undefined on PGlite. */
  copyIn?: (sql: string, lines: AsyncIterable<string> | Iterable<string>) => Promise<void>;
};

/** Connections: `total` open (idle + used), `waiting` queries queued for one. */
export type PoolStats = { max: number; total: number; idle: number; waiting: number };

export type Database = Queryable & {
  readonly engine: Engine;
  withSession<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** Connection counts by state. PGlite is one connection: used while a query runs, others wait. */
  poolStats(): PoolStats | undefined;
  /**
   * PostgreSQL only: a new pool of `max` connections takes the queries from now on; the old one is
   * drained in the background (pg's Pool cannot be resized in place).
   */
  resizePool?: (max: number) => Promise<void>;
  /**
   * Chaos: milliseconds added to each query (0 = none), asked per query. The delay holds the query's
   * connection, as a slow statement would.
   */
  setQueryDelay(delay: (() => number) | undefined): void;
  close(): Promise<void>;
};

export type PoolOptions = {
  max: number;
  min: number;
  idleTimeoutMs: number;
  /** How long a query waits for a free connection before failing. */
  acquireTimeoutMs: number;
};

/**
 * Trigram fallback threshold for `q <% name` on car_models (pg_trgm's default 0.6 misses one-letter typos in
 * short words: "toyta" vs "toyota" scores 0.5). Set per session, so every connection gets it.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.4;

/** The database cannot be reached (refused, dropped, no free connection in time): the API answers 503. */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

const UNAVAILABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/**
 * Whether a query failed because the server is out of reach rather than because of the query:
 * network errors, pg's pool/connection messages, and SQLSTATE class 08 (connection exception),
 * 57P0x (shutdown), 53300 (too many connections) and 3D000 (database gone).
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P')) return true;
    if (code === '53300' || code === '3D000') return true;
  }
  return /timeout exceeded when trying to connect|Connection terminated|not queryable|pool after calling end/i.test(
    error.message,
  );
}

export async function openPglite(): Promise<Database> {
  // Loaded only when used: a server deployment never pays for PGlite's code.
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  const db = await PGlite.create({ extensions: { pg_trgm } });
  await db.exec(`SET pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
  // PGlite is a single connection: work is serialised, so a "session" is the database itself.
  let active = 0;
  let queryDelay: (() => number) | undefined;
  const session: Session = {
    query: async <T>(text: string, values?: unknown[]) => {
      active++;
      try {
        const delayMs = queryDelay?.() ?? 0;
        if (delayMs > 0) await sleep(delayMs);
        return { rows: (await db.query<T>(text, values)).rows };
      } finally {
        active--;
      }
    },
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
  return {
    engine: 'pglite',
    query: session.query,
    withSession: (work) => work(session),
    poolStats: () => ({ max: 1, total: 1, idle: active > 0 ? 0 : 1, waiting: Math.max(0, active - 1) }),
    setQueryDelay: (delay) => {
      queryDelay = delay;
    },
    close: () => db.close(),
  };
}

function createPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    min: Math.min(options.min, options.max),
    idleTimeoutMillis: options.idleTimeoutMs,
    connectionTimeoutMillis: options.acquireTimeoutMs,
    application_name: 'car-suggester',
    // An API's short queries: no JIT (compiling costs more than these queries run, and the planner's
    // cost estimates for the wide searches cross its threshold), no parallel workers (under concurrent
    // requests they only take cores from the other requests).
    options: `-c pg_trgm.word_similarity_threshold=${WORD_SIMILARITY_THRESHOLD} -c jit=off -c max_parallel_workers_per_gather=0`,
  });
  // An idle client losing its server (restart, network) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

export async function openPostgres(url: string, options: PoolOptions): Promise<Database> {
  let pool = createPool(url, options);
  let max = options.max;
  /** Replaced pools still finishing the queries they had: counted as used until they end. */
  const draining = new Map<pg.Pool, Promise<void>>();
  // Operations per pool (running or queued): a draining pool's clients being closed are not "used",
  // and pg's counters cannot tell them from checked-out ones.
  const operations = new Map<pg.Pool, number>();
  async function using<T>(work: (current: pg.Pool) => Promise<T>): Promise<T> {
    const current = pool;
    operations.set(current, (operations.get(current) ?? 0) + 1);
    try {
      return await work(current);
    } finally {
      const left = (operations.get(current) ?? 1) - 1;
      if (left === 0) operations.delete(current);
      else operations.set(current, left);
    }
  }
  let queryDelay: (() => number) | undefined;
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new Error(`cannot reach PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    engine: 'postgresql',
    async query<T>(text: string, values?: unknown[]) {
      try {
        return await using(async (current) => {
          const delayMs = queryDelay?.() ?? 0;
          if (delayMs === 0) return { rows: (await current.query(text, values)).rows as T[] };
          const client = await current.connect();
          try {
            await sleep(delayMs);
            return { rows: (await client.query(text, values)).rows as T[] };
          } finally {
            client.release();
          }
        });
      } catch (error) {
        throw isConnectionFailure(error) ? new DatabaseUnavailableError(error) : error;
      }
    },
    withSession: (work) =>
      using(async (current) => {
        const client = await current.connect();
        try {
          return await work({
            query: async <T>(text: string, values?: unknown[]) => ({
              rows: (await client.query(text, values)).rows as T[],
            }),
            exec: async (sql) => {
              await client.query(sql);
            },
            copyIn: async (sql, lines) => {
              const stream = client.query(copyFrom(sql));
              await pipeline(toChunks(lines), stream as unknown as Writable);
            },
          });
        } finally {
          client.release();
        }
      }),
    poolStats: () => {
      let total = pool.totalCount;
      let waiting = pool.waitingCount;
      for (const old of draining.keys()) {
        total += Math.max(0, (operations.get(old) ?? 0) - old.waitingCount);
        waiting += old.waitingCount;
      }
      return { max, total, idle: pool.idleCount, waiting };
    },
    setQueryDelay: (delay) => {
      queryDelay = delay;
    },
    async resizePool(nextMax) {
      if (nextMax === max) return;
      const old = pool;
      pool = createPool(url, { ...options, max: nextMax });
      max = nextMax;
      // end() lets checked-out clients finish and be released before closing them.
      draining.set(
        old,
        old
          .end()
          .catch(() => undefined)
          .finally(() => draining.delete(old)),
      );
    },
    async close() {
      await Promise.all([pool.end(), ...draining.values()]);
    },
  };
}

/** Groups lines into ~256 KiB chunks: one write per line would dominate a million-row COPY. */
async function* toChunks(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= 256 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
