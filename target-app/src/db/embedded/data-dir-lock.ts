// One embedded database process per data directory: PGlite keeps no lock of its own, and two
// processes writing one PostgreSQL data directory corrupt it. A lock file beside the directory holds
// the owner's pid; a lock whose process is gone is stale and taken over.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export class DataDirLockedError extends Error {
  readonly dataDir: string;
  readonly ownerPid: number;
  constructor(dataDir: string, ownerPid: number) {
    super(
      `the embedded database directory ${dataDir} is in use by process ${ownerPid}: stop that target app, choose another DATA_DIR, or set DATABASE_URL to use a PostgreSQL server`,
    );
    this.name = 'DataDirLockedError';
    this.dataDir = dataDir;
    this.ownerPid = ownerPid;
  }
}

export type DataDirLock = { readonly path: string; release(): Promise<void> };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A lock file without a pid is being written; only an old one is abandoned. */
async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return true;
  }
}

/**
 * Takes `${dataDir}.lock`. While another live process holds it, waits up to `waitMs` (a restarted
 * target's new database process waits for the old one to finish closing), then throws
 * DataDirLockedError.
 */
export async function lockDataDir(dataDir: string, waitMs: number): Promise<DataDirLock> {
  const path = `${dataDir}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return {
        path,
        async release() {
          if ((await ownerOf(path)) === process.pid) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await ownerOf(path);
    if (owner === undefined ? await olderThan(path, 2_000) : owner === process.pid || !isAlive(owner)) {
      // Stale: its process died without releasing it (or never wrote its pid).
      await rm(path, { force: true });
      continue;
    }
    if (owner !== undefined && Date.now() >= deadline) throw new DataDirLockedError(dataDir, owner);
    await sleep(100);
  }
}
