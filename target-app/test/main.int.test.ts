// The process entry as operators run it: environment in, "listening" line out, SIGTERM drains and
// flushes telemetry before exit; a bad environment exits 1 with a message naming the variable.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSpans } from './support/otlp-decode.ts';
import { startOtlpReceiver } from './support/otlp-receiver.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('node target-app/src/main.ts', () => {
  it('prints the listening URL, serves, and on SIGTERM flushes spans and exits 0', async () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
    const receiver = await startOtlpReceiver();
    try {
      const proc = run({
        PORT: '0',
        CAR_COUNT: '200',
        ADMIN_TOKEN: 'main-test-token',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_METRIC_EXPORT_INTERVAL: '2000',
        LOG_LEVEL: 'warn',
      });
      const deadline = Date.now() + 30_000;
      let url: string | undefined;
      while (url === undefined && Date.now() < deadline) {
        url = /^target-app listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(proc.output().stdout)?.[1];
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(url, proc.output().stderr).toBeDefined();

      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const response = await fetch(`${url}/api/cars/7`, {
        headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      });
      expect(response.status).toBe(200);
      proc.child.kill('SIGTERM');
      const [code] = await proc.exited;
      expect(code).toBe(0);
      // Exported during shutdown, before the process left: nothing waited for the 500 ms batch delay.
      const spans = receiver.bodies.traces
        .flatMap((body) => decodeSpans(body))
        .filter((s) => s.traceId === traceId);
      expect(spans.map((s) => s.name).sort()).toEqual(['GET /api/cars/:id', 'SELECT cars']);
      expect(receiver.bodies.metrics.length).toBeGreaterThan(0);
    } finally {
      await receiver.close();
    }
  });

  it('with NODE_ENV=production and the default ADMIN_TOKEN, says why at start and keeps /admin off', async () => {
    const proc = run({
      PORT: '0',
      CAR_COUNT: '200',
      NODE_ENV: 'production',
      JWT_SECRET: 'main-test-jwt-secret-of-at-least-32-characters',
      TELEMETRY_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    });
    const deadline = Date.now() + 30_000;
    let url: string | undefined;
    while (url === undefined && Date.now() < deadline) {
      url = /^target-app listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(proc.output().stdout)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url, proc.output().stderr).toBeDefined();
    expect(proc.output().stdout).toMatch(
      /admin API off \(\/admin answers 503\): ADMIN_TOKEN is the public development default/,
    );
    const chaos = await fetch(`${url}/admin/chaos`, {
      method: 'PUT',
      headers: { authorization: 'Bearer dev-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    });
    expect(chaos.status).toBe(503);
    expect((await fetch(`${url}/api/cars/7`)).status).toBe(200);
    proc.child.kill('SIGTERM');
    expect((await proc.exited)[0]).toBe(0);
  });

  it('exits 1 with a clear message for an invalid environment', async () => {
    const proc = run({ OTEL_METRIC_EXPORT_INTERVAL: '60000', ADMIN_TOKEN: 'short' });
    const [code] = await proc.exited;
    expect(code).toBe(1);
    const { stderr, stdout } = proc.output();
    expect(stderr).toContain('Invalid target-app configuration:');
    expect(stderr).toMatch(/OTEL_METRIC_EXPORT_INTERVAL: must be at most 2000 ms/);
    expect(stderr).toMatch(/ADMIN_TOKEN: must be at least 8 characters/);
    expect(stdout).not.toContain('listening');
  });
});
