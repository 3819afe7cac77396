// A real collector that requires an ingest key, over a fresh embedded store, beside the real target:
// for the tests that check a k6 run sends the key (CLI, k6-operator pods) and gets its metrics stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, type Store, startCollector } from 'collector';
import { startTestTarget, type TestTarget } from './test-target.ts';

export type KeyedCollector = {
  dir: string;
  store: Store;
  collector: CollectorServer;
  target: TestTarget;
  /** k6's stored sum points of one run (service k6, tagged run_id). */
  storedPoints(runId: string): Promise<number>;
  close(): Promise<void>;
};

export async function startKeyedCollector(key: string, prefix: string): Promise<KeyedCollector> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = await createStore({ dataDir: join(dir, 'chdb') });
  const collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 50 }, apiKeys: [key] });
  const target = await startTestTarget();
  return {
    dir,
    store,
    collector,
    target,
    async storedPoints(runId) {
      const result = await store.client.query({
        query: `SELECT count() AS n FROM otel_metrics_sum WHERE ServiceName = 'k6' AND Attributes['run_id'] = {run:String}`,
        query_params: { run: runId },
        format: 'JSONEachRow',
      });
      return Number((await result.json<{ n: string }>())[0]?.n ?? 0);
    },
    async close() {
      await target.close();
      await collector.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
