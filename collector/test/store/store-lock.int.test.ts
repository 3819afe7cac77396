// chDB locks its data directory to one process: a second process must fail with a message that
// names the way out (CLICKHOUSE_URL), not a generic connection error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'store-lock-'));
let store: Store | undefined;
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('refuses a second process on a locked embedded store with a clear message', async () => {
  store = await createStore({ dataDir: dir });
  const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
  const script = `import { createStore } from ${JSON.stringify(index)};
    try { await createStore({ dataDir: ${JSON.stringify(dir)} }); console.log('opened'); process.exit(0); }
    catch (e) { console.log(e.name + ': ' + e.message); process.exit(3); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.status).toBe(3);
  expect(child.stdout).toMatch(/^StoreLockedError: .*already open in another process.*CLICKHOUSE_URL/);
});
