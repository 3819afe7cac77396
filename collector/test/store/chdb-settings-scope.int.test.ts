// Per-call settings on the embedded store stay with their call: a deduplication token given to one
// insert must not make the next inserts vanish, and a read-only query must not make later writes fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'settings-scope-'));
let store: Store;

beforeAll(async () => {
  store = await createStore({ dataDir: dir, migrate: false });
  await store.client.command({
    query: `CREATE TABLE IF NOT EXISTS dedup_probe (x UInt32) ENGINE = MergeTree ORDER BY x
      SETTINGS non_replicated_deduplication_window = 100`,
  });
});

afterAll(async () => {
  await store.client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function xs(): Promise<number[]> {
  const result = await store.client.query({
    query: 'SELECT x FROM dedup_probe ORDER BY x',
    format: 'JSONEachRow',
  });
  return (await result.json<{ x: number }>()).map((row) => row.x);
}

const insert = (x: number, token?: string) =>
  store.client.insert({
    table: 'dedup_probe',
    values: [{ x }],
    format: 'JSONEachRow',
    ...(token ? { clickhouse_settings: { insert_deduplication_token: token } } : {}),
  });

it('keeps token-less inserts after a tokened one, and still drops a repeated token', async () => {
  await insert(1, 'batch-a');
  await insert(2);
  await insert(3);
  await insert(4, 'batch-a'); // a replay of batch-a: dropped by design
  await Promise.all([insert(5, 'batch-b'), insert(6), insert(7, 'batch-c'), insert(8)]);
  expect(await xs()).toEqual([1, 2, 3, 5, 6, 7, 8]);
});

it('does not carry a read-only setting into the next write', async () => {
  await store.client.query({
    query: 'SELECT 1',
    format: 'JSONEachRow',
    clickhouse_settings: { readonly: '1' },
  });
  await insert(9);
  const result = await store.client.query({
    query:
      "SELECT value FROM system.settings WHERE name IN ('readonly', 'insert_deduplication_token') ORDER BY name",
    format: 'JSONEachRow',
  });
  expect(await result.json()).toEqual([{ value: '' }, { value: '0' }]);
  expect(await xs()).toContain(9);
});
