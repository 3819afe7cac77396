// Two engines (two dashboard replicas) on one store and one real Redis: only the lock holder
// evaluates and notifies; when it stops, the other takes over from the stored state — no second
// firing notification — and sends the resolve.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAlertEngine } from '../../src/engine.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { parseRoutingConfig } from '../../src/notify/routing-config.ts';
import type { WebhookPayload } from '../../src/notify/webhook.ts';
import { type HttpReceiver, startHttpReceiver } from '../support/http-receiver.ts';
import { insertSeries } from '../support/series.ts';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:56379';
const t0 = Date.UTC(2025, 7, 1, 9, 0, 0);
const s = 1000;
let dir: string;
let store: Store;
let http: HttpReceiver;

const { rules } = parseRuleFile(
  `groups:
  - name: g
    interval: 1s
    rules:
      - alert: Slow
        metric: http.server.request.duration
        kind: histogram
        stat: p95
        window: 5s
        op: '>'
        threshold: 0.2
`,
  'inline.yaml',
);
const routing = parseRoutingConfig(
  'route: { receiver: hook }\nreceivers: [{ name: hook, webhook: { url_env: HOOK } }]',
  'r.yaml',
);

beforeAll(async () => {
  // Fail, not skip, without Redis: `eval "$(bash scripts/test-services.sh)"` starts it.
  const ping = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await expect(ping.ping(), `Redis at ${redisUrl}`).resolves.toBe('PONG');
  ping.disconnect();
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-lock-'));
  store = await createStore({ dataDir: dir });
  http = await startHttpReceiver();
  await insertSeries(
    store.client,
    [{ series: 'http.server.request.duration{service="api"}', values: '0.5x9 0.01x9' }],
    { start: t0 - 5 * s, stepMs: s },
  );
});

afterAll(async () => {
  await http?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('only the lock holder notifies; the other takes over without re-notifying', async () => {
  const lockKey = `alert-rules-test:${randomUUID()}`;
  const replica = () =>
    createAlertEngine({
      client: store.client,
      rules,
      routing,
      env: { HOOK: `${http.url}/hook` },
      redisUrl,
      lockKey,
      log: () => {},
    });
  const a = replica();
  const b = replica();
  await a.evaluateOnce(t0);
  await b.evaluateOnce(t0);
  await a.evaluateOnce(t0 + s);
  await b.evaluateOnce(t0 + s);
  expect([a.role(), b.role()]).toEqual(['leader', 'standby']);
  expect(a.alerts()[0]!.state).toBe('firing');
  expect(b.alerts()[0]).toMatchObject({ lastEvalAt: null, state: 'firing' }); // read from the store, not evaluated
  expect(http.bodies<WebhookPayload>('/hook').map((p) => p.status)).toEqual(['firing']);

  await a.stop(); // releases the lock
  await b.evaluateOnce(t0 + 2 * s); // takes over: restored as firing, nothing re-sent
  expect(b.role()).toBe('leader');
  expect(b.alerts()[0]!.state).toBe('firing');
  expect(http.bodies('/hook')).toHaveLength(1);

  await b.evaluateOnce(t0 + 10 * s); // window [5s, 10s) is fast
  expect(b.alerts()[0]!.state).toBe('resolved');
  expect(http.bodies<WebhookPayload>('/hook').map((p) => p.status)).toEqual(['firing', 'resolved']);
  await b.stop();
});

it('a silence made on the standby mutes the leader at its next evaluation, not after the reload period', async () => {
  const lockKey = `alert-rules-test:${randomUUID()}`;
  const replica = () =>
    createAlertEngine({
      client: store.client,
      rules,
      routing: null,
      redisUrl,
      lockKey,
      suppressionReloadMs: 3_600_000,
      log: () => {},
    });
  const [leader, standby] = [replica(), replica()];
  await leader.evaluateOnce(t0);
  await standby.evaluateOnce(t0);
  expect([leader.role(), standby.role()]).toEqual(['leader', 'standby']);
  expect(leader.alerts()[0]).toMatchObject({ state: 'firing', silencedBy: [] });
  const silence = await standby.createSilence(
    { matchers: ['alertname="Slow"'], endsAt: t0 + 600 * s, createdBy: 'ana', comment: 'on the standby' },
    t0,
  );
  await leader.evaluateOnce(t0 + s);
  expect(leader.alerts()[0]!.silencedBy).toEqual([silence.id]);
  await standby.expireSilence(silence.id, t0 + 2 * s);
  await leader.evaluateOnce(t0 + 3 * s);
  expect(leader.alerts()[0]!.silencedBy).toEqual([]);
  await leader.stop();
  await standby.stop();
});

it('evaluates anyway, and says so, when Redis is unreachable', async () => {
  const logs: string[] = [];
  const engine = createAlertEngine({
    client: store.client,
    rules,
    routing: null,
    redisUrl: 'redis://127.0.0.1:9',
    log: (m) => logs.push(m),
  });
  const started = Date.now();
  await engine.evaluateOnce(t0 + 20 * s);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(engine.role()).toBe('leader');
  expect(engine.alerts()[0]!.lastEvalAt).toBe(t0 + 20 * s);
  expect(logs).toEqual([expect.stringMatching(/^evaluator lock: Redis unreachable .*; evaluating anyway$/)]);
  await engine.stop();
});
