// The one store factory: a ClickHouse server when a URL is given, embedded chDB otherwise.
// Both speak the same @clickhouse/client API, so every query is identical in both modes.
import { mkdirSync } from 'node:fs';
import { type ClickHouseClient, type ClickHouseClientConfigOptions, createClient } from '@clickhouse/client';
import { scopeChdbSettings } from './chdb-settings-scope.ts';
import type { ClusterOptions } from './cluster-ddl.ts';
import { migrate } from './migrations.ts';
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
}

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
  const store = options.url ? openServer(options.url) : await openEmbedded(options.dataDir ?? '.data/chdb');
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

async function openEmbedded(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  // chdb is loaded lazily so server mode never needs the 500 MB native library.
  const { createChdbConnection } = await import('chdb/connection');
  // @clickhouse/client bundles its own copy of the connection types chdb implements.
  let client: ClickHouseClient;
  try {
    const connection = scopeChdbSettings(createChdbConnection({ path: dataDir }));
    client = createClient({
      connection: connection as unknown as ClickHouseClientConfigOptions['connection'],
    });
  } catch (error) {
    throw new StoreLockedError(dataDir, error);
  }
  return {
    client,
    mode: 'embedded',
    describe: `embedded chDB at ${dataDir}`,
    dataDir,
    close: () => client.close(),
  };
}
