// The embedded database: PGlite (PostgreSQL in WASM) behind the PostgreSQL wire protocol on
// loopback, in a process of its own (embedded-main.ts), so the target app talks to it with the same
// `pg` pool as to a server and its memory and event loop are not the target's.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { SESSION_SETTINGS } from '../database.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';

/**
 * Client connections the server takes at once. pglite-socket 0.2.x multiplexes them onto PGlite's one
 * backend: each protocol message is queued and run alone, a connection inside a transaction block
 * keeps the backend until it ends. Beyond the limit a connection is refused, so this covers the
 * target's pool (DB_POOL_MAX, at most 500 through the chaos controls) while a resize drains the old one.
 */
export const EMBEDDED_MAX_CONNECTIONS = 1_100;

export type EmbeddedServerOptions = {
  /** PostgreSQL data directory (kept across restarts); undefined → in memory, gone on exit. */
  dataDir: string | undefined;
  host: string;
  /** 0 → any free port. */
  port: number;
  /** How long to wait for a previous process to release dataDir. */
  lockWaitMs: number;
};

export type EmbeddedServer = {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
};

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  let lock: DataDirLock | undefined;
  if (options.dataDir !== undefined) {
    await mkdir(dirname(options.dataDir), { recursive: true });
    lock = await lockDataDir(options.dataDir, options.lockWaitMs);
  }
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      extensions: { pg_trgm },
    });
    // One backend serves every client connection: its session settings are everyone's.
    for (const [name, value] of Object.entries(SESSION_SETTINGS)) {
      await db.query(`SELECT set_config($1, $2, false)`, [name, value]);
    }
    const server = new PGLiteSocketServer({
      db,
      host: options.host,
      port: options.port,
      maxConnections: EMBEDDED_MAX_CONNECTIONS,
    });
    await server.start();
    const port = Number(server.getServerConn().split(':').at(-1));
    const open = db;
    let closing: Promise<void> | undefined;
    return {
      host: options.host,
      port,
      close() {
        closing ??= (async () => {
          await server.stop();
          await open.close();
          await lock?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await lock?.release();
    throw error;
  }
}
