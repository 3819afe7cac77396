// Silences and acknowledgements are reread from a real chDB store only when they may be stale, and
// groups that find them stale at the same moment share one reread (counted on the real client).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSuppression } from '../../src/engine/suppression.ts';

let dir: string;
let store: Store;
const t0 = Date.UTC(2026, 2, 1, 9, 0, 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'suppression-reload-'));
  store = await createStore({ dataDir: dir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real client, with the reads of cp_silences counted. */
function countingClient() {
  const counted = { silenceReads: 0 };
  const client = new Proxy(store.client, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver);
      return (params: { query: string }) => {
        if (params.query.includes('cp_silences')) counted.silenceReads++;
        return target.query(params as never);
      };
    },
  });
  return { client, counted };
}

it('rereads once for groups that find the copy stale together, then not until the reload period', async () => {
  const { client, counted } = countingClient();
  const suppression = createSuppression(client, { reloadMs: 30_000 });
  await Promise.all(Array.from({ length: 5 }, () => suppression.refreshIfStale(t0)));
  expect(counted.silenceReads).toBe(1);
  await suppression.refreshIfStale(t0 + 29_000);
  expect(counted.silenceReads).toBe(1);
  await Promise.all(Array.from({ length: 5 }, () => suppression.refreshIfStale(t0 + 30_000)));
  expect(counted.silenceReads).toBe(2);
  await suppression.refreshIfStale(t0 + 10_000); // the clock went back: reread
  expect(counted.silenceReads).toBe(3);
});
