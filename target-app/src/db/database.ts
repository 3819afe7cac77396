// One interface over both engines: a `pg` Pool to a PostgreSQL server when DATABASE_URL is set, else
// embedded PGlite (PostgreSQL in WASM, in memory). Callers write plain PostgreSQL; only bulk loading
// differs (COPY FROM STDIN on a server, unnest batches on PGlite).
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
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

export type PoolStats = { max: number; total: number; idle: number; waiting: number };

export type Database = Queryable & {
  readonly engine: Engine;
  withSession<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** Connection counts by state; undefined for PGlite (one in-process connection). */
  poolStats(): PoolStats | undefined;
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
  const db = await PGlite.create({ extensions: { pg_trgm } });
  await db.exec(`SET pg_trgm.word_similarity_threshold = ${WORD_SIMILARITY_THRESHOLD}`);
  // PGlite is a single connection: work is serialised, so a "session" is the database itself.
  const session: Session = {
    query: async <T>(text: string, values?: unknown[]) => ({
      rows: (await db.query<T>(text, values)).rows,
    }),
    exec: async (sql) => {
      await db.exec(sql);
    },
  };
  return {
    engine: 'pglite',
    query: session.query,
    withSession: (work) => work(session),
    poolStats: () => undefined,
    close: () => db.close(),
  };
}

export async function openPostgres(url: string, options: PoolOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    min: options.min,
    idleTimeoutMillis: options.idleTimeoutMs,
    connectionTimeoutMillis: options.acquireTimeoutMs,
    application_name: 'car-suggester',
    options: `-c pg_trgm.word_similarity_threshold=${WORD_SIMILARITY_THRESHOLD}`,
  });
  // An idle client losing its server (restart, network) must not crash the process.
  pool.on('error', () => {});
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
        return { rows: (await pool.query(text, values)).rows as T[] };
      } catch (error) {
        throw isConnectionFailure(error) ? new DatabaseUnavailableError(error) : error;
      }
    },
    async withSession(work) {
      const client = await pool.connect();
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
    },
    poolStats: () => ({
      max: options.max,
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    close: () => pool.end(),
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
