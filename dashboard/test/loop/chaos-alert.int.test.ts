// The alert loop: chaos latency on the real target makes the default p95 rule fire, and a local
// webhook receiver gets the Alertmanager v4 "firing" payload; when the chaos is lifted it gets
// "resolved". Telemetry goes target → OTLP → collector → chDB → rule engine, all real.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AlertEngine, createAlertEngine, type WebhookPayload } from 'alert-rules';
import { type CollectorServer, createStore, type Store, startCollector } from 'collector';
import { startTargetApp, type TargetApp } from 'target-app';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setTargetChaos } from '../support/target-chaos.ts';

const rulesDir = fileURLToPath(new URL('../../../alert-rules/rules', import.meta.url));
const adminToken = 'loop-test-admin-token';

let dir: string;
let store: Store;
let collector: CollectorServer;
let target: TargetApp;
let engine: AlertEngine;
let receiver: Server;
const received: WebhookPayload[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loop-alert-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 50 } });
  target = await startTargetApp({
    port: 0,
    carCount: 2000,
    adminToken,
    otlpEndpoint: `http://127.0.0.1:${collector.port}`,
    logLevel: 'warn',
  });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push(JSON.parse(body) as WebhookPayload);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as { port: number };
  engine = createAlertEngine({ client: store.client, rulesDir, webhookUrl: `http://127.0.0.1:${port}/hook` });
  engine.start();
});

afterAll(async () => {
  await engine?.stop();
  await target?.close();
  await collector?.close();
  await store?.close();
  receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Steady, bounded traffic to the local target: a few workers, paced, until stopped or 3 minutes. */
function trafficTo(base: string) {
  let running = true;
  const deadline = Date.now() + 180_000;
  const worker = async (n: number) => {
    for (let i = 0; running && Date.now() < deadline; i++) {
      const path =
        i % 2 === 0 ? `/api/cars?page=${(i % 5) + 1}&pageSize=10` : `/api/cars/${((i * 7 + n) % 2000) + 1}`;
      await fetch(`${base}${path}`).then((r) => r.arrayBuffer());
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const done = Promise.all([0, 1, 2, 3].map(worker));
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}

async function chaos(method: 'PUT' | 'DELETE', body?: object) {
  expect(await setTargetChaos(target.url, adminToken, method === 'PUT' ? (body ?? {}) : null)).toBe(200);
}

const p95Alert = () => engine.alerts().find((a) => a.rule === 'TargetHighLatencyP95');

it('fires on chaos latency and resolves when it is lifted, notifying the webhook each time', async () => {
  const traffic = trafficTo(target.url);
  try {
    // Healthy first: the rule sees data and stays inactive.
    await expect.poll(() => p95Alert()?.value ?? null, { timeout: 30_000, interval: 500 }).not.toBeNull();
    expect(p95Alert()?.state).toBe('inactive');

    await chaos('PUT', { latencyMs: 300 });
    const chaosOn = Date.now();
    await expect
      .poll(() => received.filter((p) => p.status === 'firing').length, { timeout: 90_000, interval: 500 })
      .toBe(1);
    const firedAfter = (Date.now() - chaosOn) / 1000;
    const firing = received.find((p) => p.status === 'firing')!;
    expect(firing.version).toBe('4');
    expect(firing.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { alertname: 'TargetHighLatencyP95', service: 'car-suggester', severity: 'page' },
    });
    expect(firing.alerts[0]?.annotations.summary).toMatch(/^p95 latency of car-suggester is \d/);
    // for 10 s (after the first slow requests reach the 5 s window) + the export interval
    expect(firedAfter).toBeGreaterThanOrEqual(10);

    await chaos('DELETE');
    await expect
      .poll(() => received.filter((p) => p.status === 'resolved').length, { timeout: 90_000, interval: 500 })
      .toBe(1);
    const resolved = received.find((p) => p.status === 'resolved')!;
    expect(resolved.alerts[0]?.status).toBe('resolved');
    expect(resolved.alerts[0]?.fingerprint).toBe(firing.alerts[0]?.fingerprint);
    expect(received.filter((p) => p.status === 'firing')).toHaveLength(1);
    console.log(`alert loop: fired ${firedAfter.toFixed(1)} s after chaos latency was switched on`);
  } finally {
    await traffic.stop();
  }
});
