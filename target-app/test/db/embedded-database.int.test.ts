// The embedded database (DATABASE_URL unset): PGlite behind the PostgreSQL wire protocol in a process
// of its own. Checked for real: its pid is not the target's, its data outlives the target in
// DATA_DIR, one process per data directory, it comes back on the same port after a crash, it goes
// when the target that started it dies, and its memory is a series under its own service.name.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../src/db/embedded/embedded-process.ts';
import { decodeMetrics } from '../support/otlp-decode.ts';
import { eventually, startTestApp } from '../support/test-app.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-db-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function queryOnce<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const quiet = { telemetryEnabled: false, log: () => {} } as const;

describe('the embedded database', () => {
  it('runs in its own process and keeps an account in DATA_DIR across target restarts', async () => {
    const dataDir = freshDir();
    const account = { email: 'kept@example.com', password: 'a password long enough' };
    const first = await startTestApp({ dataDir, telemetryEnabled: false, authBcryptCost: 4 });
    const dbPid = first.embeddedDatabase?.pid();
    try {
      expect(dbPid).toBeGreaterThan(0);
      expect(dbPid).not.toBe(process.pid);
      const registered = await fetch(`${first.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      expect(registered.status).toBe(201);
    } finally {
      await first.close();
    }
    // Closing the target stops its database process.
    expect(alive(dbPid as number)).toBe(false);

    const second = await startTestApp({ dataDir, telemetryEnabled: false, authBcryptCost: 4 });
    try {
      expect(second.embeddedDatabase?.pid()).not.toBe(dbPid);
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      });
      expect(login.status).toBe(200);
    } finally {
      await second.close();
    }
  }, 180_000);

  it('refuses a second process on the same data directory, naming the holder', async () => {
    const dataDir = join(freshDir(), 'pglite');
    const first = await startEmbeddedDatabase({ ...quiet, dataDir });
    try {
      await expect(startEmbeddedDatabase({ ...quiet, dataDir, lockWaitMs: 300 })).rejects.toThrow(
        `is in use by process ${first.pid()}`,
      );
      // The first one still answers.
      expect(await queryOnce<{ one: number }>(first.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await first.stop();
    }
  }, 120_000);

  it('comes back on the same port with its data after being killed', async () => {
    const dataDir = join(freshDir(), 'pglite');
    const db = await startEmbeddedDatabase({
      ...quiet,
      dataDir,
      backoff: { minMs: 100, maxMs: 1_000, resetAfterMs: 60_000 },
    });
    try {
      await queryOnce(db.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)');
      const before = db.pid() as number;
      process.kill(before, 'SIGKILL');
      await until(() => db.restarts() === 1 && db.pid() !== undefined, 120_000, 'the restart');
      expect(db.pid()).not.toBe(before);
      expect(await queryOnce<{ n: number }>(db.url, 'SELECT n FROM kept')).toEqual([{ n: 7 }]);
    } finally {
      await db.stop();
    }
    expect(db.pid()).toBeUndefined();
  }, 180_000);

  it('exits when the process that started it dies without stopping it', async () => {
    const module = join(import.meta.dirname, '../../src/db/embedded/embedded-process.ts');
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { startEmbeddedDatabase } from ${JSON.stringify(module)};
         const db = await startEmbeddedDatabase({ telemetryEnabled: false, log: () => {} });
         console.log('database pid=' + db.pid());
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const childPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const pid = /database pid=(\d+)/.exec(out)?.[1];
        if (pid !== undefined) resolve(Number(pid));
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited (${code}) before starting it`)));
    });
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await until(() => !alive(childPid), 30_000, 'the orphaned database process to exit');
  }, 120_000);

  it('reports its memory as a series of its own service, beside the target', async () => {
    const t = await startTestApp({ authBcryptCost: 4 });
    try {
      const services = await eventually(() => {
        const names = new Set(
          t.receiver.bodies.metrics
            .flatMap((body) => decodeMetrics(body))
            .filter((m) => m.name === 'process.memory.usage')
            .map((m) => String(m.resource['service.name'])),
        );
        return names.size >= 2 ? names : undefined;
      }, 30_000);
      expect([...services].sort()).toEqual(['car-suggester-test', 'car-suggester-test-db']);
    } finally {
      await t.close();
    }
  }, 120_000);
});
