// The embedded store's MergeTree defaults take effect in chDB (a config file; `--merge_tree.*`
// arguments are ignored): a table waits for `minPartsToMerge` parts before it merges, and a merge
// changes no row. (chDB 26.7 merges once a partition holds about min + 2 parts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'merge-settings-'));
let store: Store;

beforeAll(async () => {
  store = await createStore({
    dataDir: dir,
    migrate: false,
    merge: { minPartsToMerge: 4, mergeSelectingSleepMs: 100 },
  });
  await store.client.command({ query: 'CREATE TABLE merge_probe (x UInt32) ENGINE = MergeTree ORDER BY x' });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = async <T>(query: string) =>
  (await (await store.client.query({ query, format: 'JSONEachRow' })).json<T>()) as T[];
const activeParts = async () =>
  Number(
    (
      await rows<{ n: string }>(
        "SELECT count() AS n FROM system.parts WHERE table = 'merge_probe' AND active",
      )
    )[0]?.n,
  );
const insert = (x: number) =>
  store.client.insert({ table: 'merge_probe', values: [{ x }], format: 'JSONEachRow' });

it('reports the settings as changed in system.merge_tree_settings', async () => {
  const settings = await rows<{ name: string; value: string; changed: number }>(
    `SELECT name, value, changed FROM system.merge_tree_settings
     WHERE name IN ('min_parts_to_merge_at_once', 'merge_selecting_sleep_ms',
       'merge_selector_enable_heuristic_to_remove_small_parts_at_right') ORDER BY name`,
  );
  expect(settings).toEqual([
    { name: 'merge_selecting_sleep_ms', value: '100', changed: 1 },
    { name: 'merge_selector_enable_heuristic_to_remove_small_parts_at_right', value: '0', changed: 1 },
    { name: 'min_parts_to_merge_at_once', value: '4', changed: 1 },
  ]);
});

it('leaves three small parts unmerged, and merges at least four at once when more arrive, keeping every row', async () => {
  for (const x of [1, 2, 3]) await insert(x);
  await sleep(1_500); // fifteen merge selections: by default two parts would have merged by now
  expect(await activeParts()).toBe(3);
  let inserted = 3;
  const by = Date.now() + 30_000;
  while ((await activeParts()) === inserted && Date.now() < by) {
    if (inserted < 12) await insert(++inserted);
    await sleep(300);
  }
  // A merged part's name ends in its level; its block range says how many inserts it took.
  const merged = await rows<{ blocks: number }>(
    `SELECT max_block_number - min_block_number + 1 AS blocks FROM system.parts
     WHERE table = 'merge_probe' AND active AND level > 0`,
  );
  expect(merged.length).toBeGreaterThan(0);
  for (const part of merged) expect(part.blocks).toBeGreaterThanOrEqual(4);
  expect((await rows<{ x: number }>('SELECT x FROM merge_probe ORDER BY x')).map((r) => r.x)).toEqual(
    Array.from({ length: inserted }, (_, i) => i + 1),
  );
});

it('does not merge tiny inserts one by one into a big part', async () => {
  // The chain showed at the shipped minimum (10; at 4 the tiny parts merged among themselves).
  await store.client.command({
    query: `CREATE TABLE big_probe (x UInt64, s String) ENGINE = MergeTree ORDER BY x
      SETTINGS min_parts_to_merge_at_once = 10`,
  });
  await store.client.command({
    query: 'INSERT INTO big_probe SELECT number, toString(rand()) FROM numbers(200000)',
  });
  for (let x = 0; x < 12; x++) {
    await store.client.insert({ table: 'big_probe', values: [{ x, s: 'a' }], format: 'JSONEachRow' });
    await sleep(300);
  }
  await sleep(1_500);
  // Each merge raises the level by one: with the engine's small-parts heuristic on, the tiny
  // inserts were merged into the big part one or two at a time (level 4 and more); here once.
  const parts = await rows<{ level: number; blocks: number }>(
    `SELECT level, max_block_number - min_block_number + 1 AS blocks FROM system.parts
     WHERE table = 'big_probe' AND active`,
  );
  expect(Math.max(...parts.map((p) => p.level))).toBeLessThanOrEqual(1);
  expect(parts.reduce((n, p) => n + p.blocks, 0)).toBe(13);
  const [count] = await rows<{ n: string }>('SELECT count() AS n FROM big_probe');
  expect(Number(count?.n)).toBe(200_012);
});
