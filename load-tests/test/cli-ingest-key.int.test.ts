// The load-test CLI with the collector's ingest keys on: `--otlp` runs send the first key of
// COLLECTOR_API_KEYS (read as the collector reads it), so a real k6 run's metrics are stored
// instead of refused with 401. Real CLI process, real k6, real target and collector with keys.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type KeyedCollector, startKeyedCollector } from './helpers/keyed-collector.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');
const KEY = 'cli-ingest-key-0123456789';
let loop: KeyedCollector;
beforeAll(async () => {
  loop = await startKeyedCollector(KEY, 'cli-ingest-key-');
});
afterAll(async () => {
  await loop?.close();
});

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.resume();
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

test('a CLI run with --otlp sends the ingest key and its metrics are stored', async () => {
  const { code, stdout } = await runCli(
    [
      'smoke',
      '--target',
      loop.target.url,
      '--vus',
      '1',
      '--duration',
      '3s',
      '--otlp',
      `127.0.0.1:${loop.collector.port}`,
      '--runs-dir',
      join(loop.dir, 'runs'),
    ],
    { COLLECTOR_API_KEYS: KEY },
  );
  expect(code).toBe(0);
  const runId = /run_\d{8}T\d{6}Z_[0-9a-f]{6}/.exec(stdout)?.[0];
  expect(runId).toBeDefined();
  expect(await loop.storedPoints(runId ?? '')).toBeGreaterThan(0);
  expect(loop.collector.stats().unauthorizedRequests).toBe(0);
});
