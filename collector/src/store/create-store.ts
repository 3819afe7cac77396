// The one store factory: a ClickHouse server when a URL is given, embedded chDB otherwise.
// Both speak the same @clickhouse/client API, so every query is identical in both modes.
import { mkdirSync } from 'node:fs';
import { type ClickHouseClient, type ClickHouseClientConfigOptions, createClient } from '@clickhouse/client';
import {
  chdbEngineArgs,
  DEFAULT_ENGINE_MERGE_SETTINGS,
  type EngineMergeSettings,
} from './chdb-engine-config.ts';
import { type ChdbInsertSession, withInsertSessions } from './chdb-insert-sessions.ts';
import { scopeChdbSettings } from './chdb-settings-scope.ts';
import type { ClusterOptions } from './cluster-ddl.ts';
import { migrate } from './migrations.ts';
import { DEFAULT_STORE_QUERY_TIMEOUT_MS, withQueryDeadline } from './query-deadline.ts';
import { applyTtl, type TtlDays } from './ttl.ts';

export interface StoreOptions {
  /** ClickHouse server URL (http://user:pass@host:8123/db). Unset → embedded chDB. */
  url?: string | undefined;
  /** Data directory of the embedded store. */
  dataDir?: string | undefined;
  /** Apply schema migrations on open (default true). */
  migrate?: boolean;
  /** Retention in days per table group (default: keep forever); applied after migrating. */
  ttlDays?: TtlDays | undefined;
  /** Create the tables ON CLUSTER with Replicated engines (server mode with a cluster only). */
  cluster?: ClusterOptions | undefined;
  /** Embedded store: chDB sessions running inserts beside each other and queries (default 2, at least 1). */
  insertSessions?: number | undefined;
  /**
   * Embedded store: the memory the engine may track in all (its max_server_memory_usage; default
   * 2 GiB, against the engine's own default of 90 % of the machine's RAM). A statement that would
   * exceed it fails (an insert's batch then waits in the on-disk queue) instead of the process
   * growing. Applies when this process first opens the data directory.
   */
  maxMemoryBytes?: number | undefined;
  /**
   * Embedded store: MergeTree defaults for every table (chdb-engine-config.ts); applies when this
   * process first opens the data directory.
   */
  merge?: Partial<EngineMergeSettings> | undefined;
  /**
   * Bound of every query and command (default 60 s; 0: none, for bulk jobs such as the bench's
   * generator). Inserts are bounded by their callers.
   */
  queryTimeoutMs?: number | undefined;
}

export const DEFAULT_STORE_MAX_MEMORY_BYTES = 2 * 1024 * 1024 * 1024;

export interface Store {
  client: ClickHouseClient;
  mode: 'server' | 'embedded';
  describe: string;
  /** Data directory of an embedded store (the collector keeps its on-disk queue beside the data). */
  dataDir?: string;
  close(): Promise<void>;
}

export class StoreLockedError extends Error {
  constructor(dataDir: string, cause: unknown) {
    super(
      `The embedded store at ${dataDir} is already open in another process (chDB locks its data directory). ` +
        'Run the collector inside the dashboard process (the default), or set CLICKHOUSE_URL to use a ClickHouse server.',
      { cause },
    );
    this.name = 'StoreLockedError';
  }
}

export async function createStore(options: StoreOptions = {}): Promise<Store> {
  const store = options.url
    ? openServer(options.url)
    : await openEmbedded(
        options.dataDir ?? '.data/chdb',
        Math.max(1, options.insertSessions ?? 2),
        options.maxMemoryBytes ?? DEFAULT_STORE_MAX_MEMORY_BYTES,
        { ...DEFAULT_ENGINE_MERGE_SETTINGS, ...definedOnly(options.merge ?? {}) },
      );
  store.client = withQueryDeadline(store.client, options.queryTimeoutMs ?? DEFAULT_STORE_QUERY_TIMEOUT_MS);
  if (options.migrate !== false) {
    try {
      await migrate(store.client, options.cluster);
      if (options.ttlDays) await applyTtl(store.client, options.ttlDays, options.cluster);
    } catch (error) {
      if (
        store.mode === 'embedded' &&
        /lock|another server instance|only one active data directory/i.test(String(error))
      ) {
        throw new StoreLockedError(options.dataDir ?? '.data/chdb', error);
      }
      throw error;
    }
  }
  return store;
}

function openServer(url: string): Store {
  const client = createClient({ url, request_timeout: 30_000 });
  return {
    client,
    mode: 'server',
    describe: `ClickHouse server ${new URL(url).host}`,
    close: () => client.close(),
  };
}

/** An options object without its undefined entries (they mean "the default"). */
const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

async function openEmbedded(
  dataDir: string,
  insertSessions: number,
  maxMemoryBytes: number,
  merge: EngineMergeSettings,
): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  // chdb is loaded lazily so server mode never needs the 500 MB native library.
  const { createChdbConnection } = await import('chdb/connection');
  const { Session } = await import('chdb');
  // @clickhouse/client bundles its own copy of the connection types chdb implements.
  let client: ClickHouseClient;
  const sessions: ChdbInsertSession[] = [];
  // The first session to open the directory starts the engine, so it carries the server settings.
  const connectionArgs = chdbEngineArgs(dataDir, maxMemoryBytes, merge);
  try {
    for (let i = 0; i < insertSessions; i++) sessions.push(new Session(dataDir, { connectionArgs }));
    const connection = withInsertSessions(
      scopeChdbSettings(createChdbConnection({ path: dataDir })),
      sessions,
    );
    client = createClient({
      connection: connection as unknown as ClickHouseClientConfigOptions['connection'],
    });
  } catch (error) {
    for (const session of sessions) session.close();
    throw new StoreLockedError(dataDir, error);
  }
  return {
    client,
    mode: 'embedded',
    describe: `embedded chDB at ${dataDir}`,
    dataDir,
    async close() {
      await client.close();
      for (const session of sessions) session.close();
    },
  };
}
