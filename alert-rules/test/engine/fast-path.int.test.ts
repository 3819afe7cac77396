// The fast path against real parts: a collector (OTLP/HTTP) writing to chDB, the engine subscribed
// to its accepted batches, and a real webhook receiver. A breach arriving in a batch pages without
// waiting for the interval tick; a breach resolves as its rows leave the window, with nothing
// arriving; a burst of batches and a racing tick notify once; a restarted engine continues from
// the store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, type Store, startCollector } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AlertEngine, createAlertEngine } from '../../src/engine.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { parseRoutingConfig } from '../../src/notify/routing-config.ts';
import type { WebhookPayload } from '../../src/notify/webhook.ts';
import { type HttpReceiver, startHttpReceiver } from '../support/http-receiver.ts';
import { histogramBody, postMetrics } from '../support/otlp-metrics.ts';

let dir: string;
let store: Store;
let collector: CollectorServer;
let http: HttpReceiver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-fast-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, 'queue'),
    batch: { maxDelayMs: 10 },
  });
  http = await startHttpReceiver();
});

afterAll(async () => {
  await http?.close();
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const routing = parseRoutingConfig(
  'route: { receiver: hook, group_interval: 1s }\nreceivers: [{ name: hook, webhook: { url_env: HOOK } }]',
  'r.yaml',
);

function rulesOf(service: string, interval: string, window: string) {
  const { rules, errors } = parseRuleFile(
    `groups:
  - name: fast
    interval: ${interval}
    rules:
      - alert: Slow
        metric: http.server.request.duration
        kind: histogram
        stat: p95
        service: ${service}
        window: ${window}
        op: '>'
        threshold: 0.2
`,
    'inline.yaml',
  );
  expect(errors).toEqual([]);
  return rules;
}

function engineFor(service: string, interval: string, window: string, path: string): AlertEngine {
  return createAlertEngine({
    client: store.client,
    rules: rulesOf(service, interval, window),
    routing,
    env: { HOOK: `${http.url}/${path}` },
    redisUrl: null,
    acceptedMetrics: (listener) => collector.onAcceptedMetrics(listener),
    log: () => {},
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
/** Sends one point every 200 ms until `check` holds. */
async function observeUntil(service: string, latency: number, n: number, check: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after 5000 ms waiting for ${what}`);
    await observe(service, latency, n);
    await sleep(200);
  }
}
const statuses = (path: string) => http.bodies<WebhookPayload>(`/${path}`).map((b) => b.status);

/** `n` observations of `latency` seconds, recorded just now. */
const observe = (service: string, latency: number, n: number) =>
  postMetrics(collector.url, histogramBody(service, [{ at: Date.now(), latency, n }]));

it('pages on the batch that carries the breach, without waiting for the interval tick', async () => {
  const engine = engineFor('fast-shop', '1h', '5s', 'breach');
  engine.start(); // the first tick runs now; the next in an hour
  await until(() => engine.ruleEvaluations().Slow?.at !== null, 5_000, 'the first tick');
  await observe('fast-shop', 0.02, 20);
  await until(
    () => engine.ruleEvaluations().Slow?.source === 'memory' && engine.alerts()[0]?.value !== null,
    5_000,
    'an evaluation on data',
  );
  expect(engine.alerts()[0]).toMatchObject({ state: 'inactive' });

  const breach = Date.now();
  await observe('fast-shop', 0.9, 20);
  await until(() => statuses('breach').includes('firing'), 3_000, 'the firing webhook');
  expect(Date.now() - breach).toBeLessThan(2_000);
  expect(engine.alerts()[0]).toMatchObject({ state: 'firing' });

  // Healthy data keeps arriving; once the slow rows leave the 5 s window a batch resolves it.
  const deadline = Date.now() + 9_000;
  while (!statuses('breach').includes('resolved')) {
    if (Date.now() > deadline) throw new Error('no resolve within 9 s');
    await observe('fast-shop', 0.02, 20);
    await sleep(200);
  }
  await engine.stop();
  expect(statuses('breach')).toEqual(['firing', 'resolved']);
});

it('resolves as the slow rows leave the window, with no batch or tick to wake it', async () => {
  const engine = engineFor('leaving-shop', '1h', '2s', 'leaving'); // no tick after the first
  engine.start();
  await until(() => engine.ruleEvaluations().Slow?.at !== null, 5_000, 'the first tick');
  const slowAt = Date.now();
  await postMetrics(collector.url, histogramBody('leaving-shop', [{ at: slowAt, latency: 0.9, n: 20 }]));
  await until(() => statuses('leaving').includes('firing'), 3_000, 'the firing webhook');
  // Healthy requests half a second later; then nothing arrives. The slow point leaves the 2 s
  // window at slowAt + 2 s, the healthy one only at slowAt + 2.5 s: the resolve must fall between.
  await sleep(Math.max(0, slowAt + 500 - Date.now()));
  await postMetrics(
    collector.url,
    histogramBody('leaving-shop', [{ at: slowAt + 500, latency: 0.02, n: 20 }]),
  );
  await until(() => statuses('leaving').includes('resolved'), 4_000, 'the resolve');
  const resolved = http.received.find(
    (r) => r.path === '/leaving' && (r.body as WebhookPayload).status === 'resolved',
  )!;
  expect(resolved.at - slowAt).toBeGreaterThanOrEqual(2_000);
  expect(resolved.at - slowAt).toBeLessThan(2_500);
  await engine.stop();
  expect(statuses('leaving')).toEqual(['firing', 'resolved']);
});

it('a burst of batches and a tick racing them notify once', async () => {
  const engine = engineFor('race-shop', '100ms', '3s', 'race');
  engine.start();
  const evaluations: number[] = [];
  const burst = async () => {
    await Promise.all([0, 1, 2, 3, 4].map(() => observe('race-shop', 0.9, 5)));
    evaluations.push(engine.ruleEvaluations().Slow?.at ?? 0);
  };
  for (let i = 0; i < 10; i++) {
    await burst();
    await sleep(50);
  }
  await until(() => statuses('race').includes('firing'), 3_000, 'the firing webhook');
  await sleep(1_500); // further ticks and batches while firing
  await engine.stop();
  expect(statuses('race')).toEqual(['firing']);
  const events = await store.client.query({
    query: `SELECT count() AS n FROM cp_alert_events WHERE RuleName = 'Slow' AND Labels['service'] = 'race-shop' AND State = 'firing'`,
    format: 'JSONEachRow',
  });
  expect(await events.json()).toEqual([{ n: 1 }]);
});

it('a restarted engine seeds its window from the store and goes on from there', async () => {
  const first = engineFor('restart-shop', '1h', '30s', 'restart');
  first.start();
  await until(() => first.ruleEvaluations().Slow?.at !== null, 5_000, 'the first tick');
  await observe('restart-shop', 0.9, 40);
  await until(() => statuses('restart').includes('firing'), 3_000, 'the firing webhook');
  await first.stop();

  // A few fast requests after the restart: on their own they would resolve the alert, but the
  // window restored from the store still holds the slow ones.
  const second = engineFor('restart-shop', '1h', '30s', 'restart');
  second.start();
  await observeUntil(
    'restart-shop',
    0.02,
    1,
    () => second.ruleEvaluations().Slow?.source === 'memory',
    'an evaluation from the seeded window',
  );
  await sleep(300);
  const [alert] = second.alerts();
  expect(alert).toMatchObject({ state: 'firing' });
  expect(alert?.value).toBeGreaterThan(0.2);
  await second.stop();
  expect(statuses('restart')).toEqual(['firing']);
});

it('behind the Redis lock, arriving data triggers the leader’s evaluation from the store', async () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:56379';
  const lockKey = `alert-rules-fast:${Date.now()}`;
  const replica = () =>
    createAlertEngine({
      client: store.client,
      rules: rulesOf('locked-shop', '1h', '5s'),
      routing,
      env: { HOOK: `${http.url}/locked` },
      redisUrl,
      lockKey,
      acceptedMetrics: (listener) => collector.onAcceptedMetrics(listener),
      log: () => {},
    });
  const [leader, standby] = [replica(), replica()];
  leader.start();
  await until(() => leader.role() === 'leader', 5_000, 'the lock');
  standby.start();
  await sleep(300); // its first tick found the lock taken
  const breach = Date.now();
  await observe('locked-shop', 0.9, 20);
  await until(() => statuses('locked').includes('firing'), 3_000, 'the firing webhook');
  expect(Date.now() - breach).toBeLessThan(2_000);
  // This process's collector may see only its share of the data: the values come from the store.
  expect(leader.ruleEvaluations().Slow?.source).toBe('store');
  await sleep(500);
  await Promise.all([leader.stop(), standby.stop()]);
  expect(standby.role()).toBe('standby');
  expect(statuses('locked')).toEqual(['firing']);
});

it('an engine started again after stop() reseeds: what arrived meanwhile counts', async () => {
  const engine = engineFor('paused-shop', '1h', '30s', 'paused');
  engine.start();
  await until(() => engine.ruleEvaluations().Slow?.at !== null, 5_000, 'the first tick');
  await observe('paused-shop', 0.02, 5);
  await until(() => engine.alerts()[0]?.value !== null, 5_000, 'an evaluation on data');
  await engine.stop();
  await observe('paused-shop', 0.9, 40); // stored while the engine is stopped
  engine.start();
  await observeUntil(
    'paused-shop',
    0.02,
    1,
    () => engine.ruleEvaluations().Slow?.source === 'memory' && statuses('paused').includes('firing'),
    'the firing webhook from the reseeded window',
  );
  await engine.stop();
  expect(statuses('paused')).toEqual(['firing']);
});

it('a second seed picks up rows the collector had acknowledged but not yet stored at start', async () => {
  // As on the embedded store under `npm start`: light traffic waits in the collector's queue.
  const coalescing = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, 'queue-coalescing'),
    batch: { coalesceMs: 2_000 },
  });
  try {
    await postMetrics(
      coalescing.url,
      histogramBody('coalesced-shop', [{ at: Date.now(), latency: 0.9, n: 40 }]),
    );
    const engine = createAlertEngine({
      client: store.client,
      rules: rulesOf('coalesced-shop', '1h', '30s'),
      routing,
      env: { HOOK: `${http.url}/coalesced` },
      redisUrl: null,
      acceptedMetrics: (listener) => coalescing.onAcceptedMetrics(listener),
      fastPath: { reseedAfterMs: 3_000 },
      log: () => {},
    });
    engine.start(); // its first seed finds nothing stored yet
    const deadline = Date.now() + 8_000;
    while (!statuses('coalesced').includes('firing')) {
      if (Date.now() > deadline)
        throw new Error('no firing within 8 s: the acknowledged slow rows were not counted');
      await postMetrics(
        coalescing.url,
        histogramBody('coalesced-shop', [{ at: Date.now(), latency: 0.02, n: 1 }]),
      );
      await sleep(200);
    }
    expect(engine.ruleEvaluations().Slow?.source).toBe('memory');
    await engine.stop();
    expect(statuses('coalesced')).toEqual(['firing']);
  } finally {
    await coalescing.close();
  }
});
