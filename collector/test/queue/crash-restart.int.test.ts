// Durability across crashes: the collector process (src/main.ts, as deployed) is killed with
// SIGKILL mid-ingest — once acknowledging after the fsync'd queue append, once after the insert —
// and restarted on the same DATA_DIR. Afterwards every acknowledged point is stored exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/index.ts';
import { steadyIngest } from '../support/steady-ingest.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'crash-restart-'));
let child: ChildProcess | undefined;
let store: Store | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startChild(port: number, ackAfter: 'insert' | 'queue'): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [main], {
    env: { ...process.env, DATA_DIR: dir, COLLECTOR_PORT: String(port), COLLECTOR_ACK_AFTER: ackAfter },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += d;
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('OTLP/HTTP on')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`collector exited with ${code}: ${stderr}`)));
  });
  return proc;
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    proc.exitCode !== null || proc.signalCode ? resolve() : proc.once('exit', () => resolve()),
  );
}

it('keeps every acknowledged point exactly once when the collector is SIGKILLed and restarted', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  child = await startChild(port, 'queue');
  const ingest = steadyIngest({ url: () => url, service: 'crash', clients: 4, pauseMs: 5 });
  for (const next of ['insert', 'insert'] as const) {
    await sleep(1000);
    const before = ingest.acked.size;
    child.kill('SIGKILL');
    await exited(child);
    expect(before).toBeGreaterThan(0);
    child = await startChild(port, next);
  }
  await sleep(1000);
  await ingest.stop();
  for (;;) {
    const ready = (await (await fetch(`${url}/ready`)).json()) as { queue: { state: string } };
    if (ready.queue.state === 'empty') break;
    await sleep(100);
  }
  child.kill('SIGTERM');
  await exited(child);
  child = undefined;

  store = await createStore({ dataDir: join(dir, 'chdb') });
  const result = await store.client.query({
    query: `SELECT Attributes['seq'] AS seq, count() AS n FROM otel_metrics_gauge
      WHERE ServiceName = 'crash' GROUP BY seq`,
    format: 'JSONEachRow',
  });
  const stored = new Map((await result.json<{ seq: string; n: string }>()).map((r) => [r.seq, Number(r.n)]));
  const missing = [...ingest.acked].filter((seq) => !stored.has(seq));
  const doubled = [...stored].filter(([, n]) => n > 1);
  expect(ingest.acked.size).toBeGreaterThan(50);
  expect(ingest.statuses[0]).toBeGreaterThan(0); // requests really were cut off by the kills
  expect(missing).toEqual([]);
  expect(doubled).toEqual([]);
});
