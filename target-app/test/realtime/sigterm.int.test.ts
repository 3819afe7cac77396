// SIGTERM to the real process (node src/main.ts): an HTTP request in flight is answered first, then
// the price feed's sockets close with 1001 ("going away"), then the process exits 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { connectFeed, isType } from '../support/ws-client.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TOKEN = 'sigterm-test-token';
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('SIGTERM with open WebSockets', () => {
  it('drains HTTP, closes sockets with 1001, exits 0', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const child = spawn(process.execPath, [MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          PORT: '0',
          CAR_COUNT: '200',
          ADMIN_TOKEN: TOKEN,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          LOG_LEVEL: 'warn',
          PRICE_CHANGE_INTERVAL_MS: '50',
          PRICE_CHANGES_PER_TICK: '100',
        },
      });
      children.push(child);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const exited = once(child, 'exit') as Promise<[number | null]>;
      const deadline = Date.now() + 30_000;
      let url: string | undefined;
      while (url === undefined && Date.now() < deadline) {
        url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(url).toBeDefined();

      // The price changer is on by default: a watched car's change arrives without any admin call.
      const client = await connectFeed(url as string);
      client.send({ type: 'watch', carIds: Array.from({ length: 200 }, (_, i) => i + 1) });
      const price = await client.next(isType('price'));
      expect(price.sentAt).toBeGreaterThanOrEqual(price.changedAt);

      const put = await fetch(`${url}/admin/chaos`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: 800 }),
      });
      expect(put.status).toBe(200);
      const slow = fetch(`${url}/api/cars/3`).then((r) => ({ status: r.status, at: performance.now() }));
      await new Promise((resolve) => setTimeout(resolve, 150));
      child.kill('SIGTERM');
      const [answered, closed, [code]] = await Promise.all([slow, client.closed, exited]);
      expect(answered.status).toBe(200);
      expect(closed.code).toBe(1001);
      expect(closed.reason).toBe('server shutting down');
      expect(closed.at).toBeGreaterThanOrEqual(answered.at);
      expect(code).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
