// The set-up of the server tests that read figures: the dashboard's services on a fresh embedded
// store in a temporary DATA_DIR, with an empty rules folder (no alert engine querying the store
// meanwhile), and a viewer's tRPC caller.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { createCaller } from '../../src/server/routers/_app.ts';

export type StoreServices = {
  dir: string;
  running: RunningServices;
  viewer: ReturnType<typeof createCaller>;
  close(): Promise<void>;
};

/** `extraEnv`: more of the dashboard's environment (users, …) on top of the store's. */
export async function startStoreServices(
  prefix: string,
  extraEnv: Record<string, string> = {},
): Promise<StoreServices> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'rules'));
  const env = parseDashboardEnv({
    DATA_DIR: dir,
    COLLECTOR_PORT: '0',
    PORT: '0',
    RULES_DIR: join(dir, 'rules'),
    ...extraEnv,
  });
  const running = await startServices(env, () => undefined);
  const viewer = createCaller({
    services: running.services,
    headers: new Headers(),
    user: { name: 'test-viewer', role: 'viewer' },
  });
  return {
    dir,
    running,
    viewer,
    close: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
