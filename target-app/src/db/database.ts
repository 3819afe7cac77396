// One interface over a `pg` pool to a PostgreSQL wire-protocol server: a PostgreSQL server
// (DATABASE_URL), or the embedded PGlite server the target starts in a process of its own
// (embedded/). Callers write plain PostgreSQL; only bulk loading differs (COPY FROM STDIN on a
// server, unnest batches on PGlite, whose socket server loses protocol sync on COPY data).
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** What is behind the wire protocol: a PostgreSQL server, or embedded PGlite (embedded/). */
export type Engine = 'pglite' | 'postgresql';

export type Queryable = {
  query<T>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
};

/** One connection: session settings, advisory locks and COPY stay on it. */
export type Session = Queryable & {
  /** Several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** COPY … FROM STDIN fed with text-format lines; undefined on PGlite (its socket server cannot). */
  copyIn?: (sql: string, lines: AsyncIterable<string> | Iterable<string>) => Promise<void>;
};

/** Connections: `total` open (idle + used), `waiting` queries queued for one. */
export type PoolStats = { max: number; total: number; idle: number; waiting: number };

export type Database = Queryable & {
  readonly engine: Engine;
  withSession<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /**
   * Connection counts by state. On PGlite the connections share its one backend: a query that has
   * a connection may still wait in the embedded server's queue.
   */
  poolStats(): PoolStats | undefined;
  /**
   * A new pool of `max` connections takes the queries from now on; the old one is drained in the
   * background (pg's Pool cannot be resized in place).
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

/**
 * Settings every session gets. An API's short queries: no JIT (compiling costs more than these queries
 * run, and the planner's cost estimates for the wide searches cross its threshold), no parallel workers
 * (under concurrent requests they only take cores from the other requests). A server takes them as
 * startup options; the embedded server ignores those and sets them once on its single backend.
 */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  'pg_trgm.word_similarity_threshold': String(WORD_SIMILARITY_THRESHOLD),
  jit: 'off',
  max_parallel_workers_per_gather: '0',
};

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

function createPool(url: string, options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    min: Math.min(options.min, options.max),
    idleTimeoutMillis: options.idleTimeoutMs,
    connectionTimeoutMillis: options.acquireTimeoutMs,
    application_name: 'car-suggester',
    options: Object.entries(SESSION_SETTINGS)
      .map(([name, value]) => `-c ${name}=${value}`)
      .join(' '),
  });
  // An idle client losing its server (restart, network) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

export async function openPostgres(
  url: string,
  options: PoolOptions,
  engine: Engine = 'postgresql',
): Promise<Database> {
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
    const what = engine === 'pglite' ? 'the embedded database' : 'PostgreSQL';
    throw new Error(`cannot reach ${what} at ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    engine,
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
            ...(engine === 'postgresql'
              ? {
                  copyIn: async (sql: string, lines: AsyncIterable<string> | Iterable<string>) => {
                    const stream = client.query(copyFrom(sql));
                    await pipeline(toChunks(lines), stream as unknown as Writable);
                  },
                }
              : {}),
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
