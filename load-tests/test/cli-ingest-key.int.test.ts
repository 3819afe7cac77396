// The load-test CLI with the collector's ingest keys on: `--otlp` runs send the first key of
// COLLECTOR_API_KEYS (read as the collector reads it), so a real k6 run's metrics are stored
// instead of refused with 401. Real CLI process, real k6, real target and collector with keys.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, type Store, startCollector } from 'collector';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestTarget, type TestTarget } from './helpers/test-target.ts';

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');
const KEY = 'cli-ingest-key-0123456789';
let dir: string;
let store: Store;
let collector: CollectorServer;
let target: TestTarget;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-ingest-key-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 50 }, apiKeys: [KEY] });
  target = await startTestTarget();
});
afterAll(async () => {
  await target?.close();
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
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
      target.url,
      '--vus',
      '1',
      '--duration',
      '3s',
      '--otlp',
      `127.0.0.1:${collector.port}`,
      '--runs-dir',
      join(dir, 'runs'),
    ],
    { COLLECTOR_API_KEYS: KEY },
  );
  expect(code).toBe(0);
  const runId = /run_\d{8}T\d{6}Z_[0-9a-f]{6}/.exec(stdout)?.[0];
  expect(runId).toBeDefined();
  const result = await store.client.query({
    query: `SELECT count() AS n FROM otel_metrics_sum WHERE ServiceName = 'k6' AND Attributes['run_id'] = {run:String}`,
    query_params: { run: runId ?? '' },
    format: 'JSONEachRow',
  });
  expect(Number((await result.json<{ n: string }>())[0]?.n)).toBeGreaterThan(0);
  expect(collector.stats().unauthorizedRequests).toBe(0);
});
