// Every store query has a time bound: one that does not answer within it fails the caller with
// StoreTimeoutError (naming the statement) instead of hanging it, and the store goes on answering.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store, StoreTimeoutError } from '../../src/index.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collector-query-deadline-'));
  store = await createStore({ dataDir: join(dir, 'chdb'), queryTimeoutMs: 500 });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the store query bound', () => {
  it('fails a query that runs past it, and answers the next one', async () => {
    const slow = store.client.query({
      query: 'SELECT sleepEachRow(0.5) FROM numbers(4)',
      format: 'JSONEachRow',
    });
    await expect(slow).rejects.toThrow(StoreTimeoutError);
    await expect(slow).rejects.toThrow(/store query took over 500 ms: SELECT sleepEachRow/);
    await expect(
      store.client.command({ query: 'SELECT sleepEachRow(0.5) FROM numbers(4) FORMAT Null' }),
    ).rejects.toThrow(StoreTimeoutError);
    // Once the engine is done with them, quick queries answer again.
    await expect
      .poll(
        async () => {
          const result = await store.client.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow' });
          return result.json();
        },
        { timeout: 10_000 },
      )
      .toEqual([{ one: 1 }]);
  });
});
