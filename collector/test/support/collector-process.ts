// The collector as deployed (src/main.ts) in a child process, for the crash tests: start it on a
// port with the given environment, wait for it to exit, wait for its queue to drain, and count
// what the store holds per sequence number afterwards (each acknowledged point exactly once).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../src/index.ts';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts src/main.ts with these variables added; resolves once it listens. */
export async function startCollectorProcess(env: Record<string, string>): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [main], {
    env: { ...process.env, ...env },
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

export function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    proc.exitCode !== null || proc.signalCode ? resolve() : proc.once('exit', () => resolve()),
  );
}

/** Waits until the collector at `url` reports its on-disk queue empty. */
export async function queueDrained(url: string): Promise<void> {
  for (;;) {
    const ready = (await (await fetch(`${url}/ready`)).json()) as { queue: { state: string } };
    if (ready.queue.state === 'empty') return;
    await sleep(100);
  }
}

/** The acknowledged sequence numbers missing from the store, and those stored more than once. */
export async function missingAndDoubled(
  store: Store,
  service: string,
  acked: Set<string>,
): Promise<{ missing: string[]; doubled: [string, number][] }> {
  const result = await store.client.query({
    query: `SELECT Attributes['seq'] AS seq, count() AS n FROM otel_metrics_gauge
      WHERE ServiceName = {service:String} GROUP BY seq`,
    query_params: { service },
    format: 'JSONEachRow',
  });
  const stored = new Map((await result.json<{ seq: string; n: string }>()).map((r) => [r.seq, Number(r.n)]));
  return {
    missing: [...acked].filter((seq) => !stored.has(seq)),
    doubled: [...stored].filter(([, n]) => n > 1),
  };
}
