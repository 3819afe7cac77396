// The embedded store's inserts run on sessions of their own: a slow query does not hold up ingest,
// a bad batch still fails with the store's own parse error (which the replayer treats as
// permanent), and the engine's memory is capped at the configured size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/index.ts';
import { isPermanentInsertError } from '../../src/write/insert.ts';

const dir = mkdtempSync(join(tmpdir(), 'insert-sessions-'));
const maxMemoryBytes = 256 * 1024 * 1024;
let store: Store;

beforeAll(async () => {
  store = await createStore({ dataDir: dir, migrate: false, maxMemoryBytes });
  await store.client.command({
    query: `CREATE TABLE IF NOT EXISTS probe (x UInt32, tags Map(String, String))
      ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 100`,
  });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (values: unknown[], token?: string) =>
  store.client.insert({
    table: 'probe',
    values,
    format: 'JSONEachRow',
    ...(token ? { clickhouse_settings: { insert_deduplication_token: token } } : {}),
  });

async function xs(): Promise<number[]> {
  const result = await store.client.query({ query: 'SELECT x FROM probe ORDER BY x', format: 'JSONEachRow' });
  return (await result.json<{ x: number }>()).map((row) => row.x);
}

it('stores inserts while a slow query runs, and drops a repeated deduplication token', async () => {
  const order: string[] = [];
  const slow = store.client
    .query({ query: 'SELECT sleep(2) AS s', format: 'JSONEachRow' })
    .then((r) => r.json())
    .then(() => order.push('query'));
  await Promise.all([
    insert([{ x: 1, tags: { a: 'b' } }], 'batch-a').then(() => order.push('insert')),
    insert([{ x: 2, tags: {} }]).then(() => order.push('insert')),
  ]);
  await insert([{ x: 3, tags: {} }], 'batch-a'); // a replay of batch-a: dropped by design
  await slow;
  expect(order).toEqual(['insert', 'insert', 'query']);
  expect(await xs()).toEqual([1, 2]);
});

it('refuses a bad batch with a parse error that no retry can fix, storing none of it', async () => {
  const error = await insert([
    { x: 4, tags: {} },
    { x: 'not a number', tags: {} },
  ]).catch((e) => e);
  expect(error).toBeInstanceOf(Error);
  expect(isPermanentInsertError(error)).toBe(true);
  expect(await xs()).toEqual([1, 2]);
});

it('caps the engine’s memory: a statement over the cap fails, the store goes on', async () => {
  const settings = await store.client.query({
    query: "SELECT value FROM system.server_settings WHERE name = 'max_server_memory_usage'",
    format: 'JSONEachRow',
  });
  expect(await settings.json()).toEqual([{ value: String(maxMemoryBytes) }]);
  await expect(
    store.client.query({
      query: 'SELECT length(groupArray(number)) FROM numbers(100000000)',
      format: 'JSONEachRow',
    }),
  ).rejects.toThrow(/memory limit exceeded/i);
  await insert([{ x: 5, tags: {} }]);
  expect(await xs()).toEqual([1, 2, 5]);
});
