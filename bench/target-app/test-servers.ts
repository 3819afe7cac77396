// The shared test servers for one bench run: a fresh PostgreSQL database loaded with the target's own
// data generator CLI (COPY + indexes, timed from the outside) and dropped at the end; Redis keys cleaned.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GENERATE = join(import.meta.dirname, '..', '..', 'target-app', 'src', 'cli', 'generate.ts');

export type LoadTiming = {
  cars: number;
  /** Wall time of the generator process: connect, schema, COPY, indexes, ANALYZE, exit. */
  wallSeconds: number;
  /** The generator's own figures (null when its summary line was not found). */
  loadSeconds: number | null;
  rowsSeconds: number | null;
  indexSeconds: number | null;
  carsPerSecond: number;
};

/** `postgres://…/postgres` → the same server with another database name. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function psql(serverUrl: string, sql: string): Promise<void> {
  await run('psql', [serverUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { timeout: 60_000 });
}

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await psql(serverUrl, `CREATE DATABASE ${name}`);
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await psql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Runs the generator CLI, passing its progress lines to `log`. */
export async function loadCars(
  url: string,
  cars: number,
  seed: number,
  log: (line: string) => void,
): Promise<LoadTiming> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [GENERATE, '--count', String(cars), '--seed', String(seed), '--database-url', url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') log(line.trim());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`generate.ts exited with ${code}:\n${output.slice(-2000)}`);
  // "loaded N cars in X s (rows Y s, indexes + analyze Z s; …)"
  const m = /loaded \d+ cars in ([\d.]+) s \(rows ([\d.]+) s, indexes \+ analyze ([\d.]+) s/.exec(output);
  const loadSeconds = m ? Number(m[1]) : null;
  return {
    cars,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    loadSeconds,
    rowsSeconds: m ? Number(m[2]) : null,
    indexSeconds: m ? Number(m[3]) : null,
    carsPerSecond: Math.round(cars / (loadSeconds ?? wallSeconds)),
  };
}

/** Deletes the keys a run left in the shared test Redis (its own prefix only). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const { stdout } = await run('redis-cli', ['-u', redisUrl, '--scan', '--pattern', `${prefix}*`], {
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  const keys = stdout.split('\n').filter((k) => k !== '');
  for (let i = 0; i < keys.length; i += 500) {
    await run('redis-cli', ['-u', redisUrl, 'DEL', ...keys.slice(i, i + 500)], { timeout: 60_000 });
  }
  return keys.length;
}
