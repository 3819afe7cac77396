// A real collector on a fresh embedded store, for integration tests (one per test file:
// chDB allows one data directory per process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, type Store, startCollector } from '../../src/index.ts';

export interface CollectorFixture {
  store: Store;
  collector: CollectorServer;
  url: string;
  count(table: string, where?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startCollectorFixture(): Promise<CollectorFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'collector-test-'));
  const store = await createStore({ dataDir: dir });
  const collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 20 } });
  return {
    store,
    collector,
    url: `http://127.0.0.1:${collector.port}`,
    async count(table, where = '1') {
      const result = await store.client.query({
        query: `SELECT count() AS n FROM ${table} WHERE ${where}`,
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ n: string }>();
      return Number(row?.n ?? 0);
    },
    async close() {
      await collector.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
