// Receivers added at run time, beside the routing file: a firing alert reaches the file's receiver
// and every added one whose severity filter lets it through; replacing the added set takes effect
// for the next alert without a new engine. A test notification goes through a receiver's own code
// once and brings back the receiver's answer (status and body) or the network error. All on real
// parts: chDB and local HTTP receivers.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../src/engine.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { buildReceiver } from '../../src/notify/receivers.ts';
import { parseRoutingConfig } from '../../src/notify/routing-config.ts';
import { sendTestNotification } from '../../src/notify/test-notification.ts';
import type { WebhookPayload } from '../../src/notify/webhook.ts';
import { type HttpReceiver, startHttpReceiver } from '../support/http-receiver.ts';
import { insertSeries } from '../support/series.ts';

const t0 = Date.UTC(2025, 6, 1, 9, 0, 0);
const s = 1000;
let dir: string;
let store: Store;
let http: HttpReceiver;

const { rules } = parseRuleFile(
  `groups:
  - name: added
    interval: 2s
    rules:
      - alert: Slow
        metric: http.server.request.duration
        kind: histogram
        stat: p95
        service: car-suggester
        window: 10s
        op: '>'
        threshold: 0.2
        labels: { severity: page }
`,
  'inline.yaml',
);
const routing = parseRoutingConfig(
  'route: { receiver: file }\nreceivers: [{ name: file, webhook: { url_env: FILE_HOOK } }]',
  'routing.yaml',
);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-added-'));
  store = await createStore({ dataDir: dir });
  http = await startHttpReceiver();
  const series =
    'http.server.request.duration{service="car-suggester", http.route="/a", http.response.status_code="200"}';
  // Slow until t0 + 10 s, fast after: fires at t0, resolves at t0 + 20 s.
  await insertSeries(store.client, [{ series, values: '0.4x19 0.01x40' }], { start: t0 - 10 * s, stepMs: s });
});

afterAll(async () => {
  await http?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('receivers added at run time', () => {
  it('get alerts beside the file routes, filtered by severity, and are replaced without a restart', async () => {
    const engine = createAlertEngine({
      client: store.client,
      rules,
      routing,
      redisUrl: null,
      env: { FILE_HOOK: `${http.url}/file` },
      log: () => {},
    });
    engine.setAddedReceivers([
      {
        receiver: buildReceiver({ name: 'ui-all', kind: 'webhook', url: `${http.url}/ui-all` }),
        severity: null,
      },
      {
        receiver: buildReceiver({ name: 'ui-tickets', kind: 'webhook', url: `${http.url}/ui-tickets` }),
        severity: 'ticket',
      },
    ]);
    expect(engine.receivers().map((r) => [r.name, r.source, r.severity])).toEqual([
      ['file', 'file', null],
      ['ui-all', 'added', null],
      ['ui-tickets', 'added', 'ticket'],
    ]);

    await engine.evaluateOnce(t0);
    expect(engine.alerts()[0]).toMatchObject({ state: 'firing', receivers: ['file', 'ui-all'] });
    expect(http.bodies<WebhookPayload>('/file')).toHaveLength(1);
    expect(http.bodies<WebhookPayload>('/ui-all')[0]).toMatchObject({ receiver: 'ui-all', status: 'firing' });
    expect(http.bodies('/ui-tickets')).toHaveLength(0);

    // Edited in place (a new URL): the resolve goes to the new URL; a removed receiver gets nothing.
    engine.setAddedReceivers([
      {
        receiver: buildReceiver({ name: 'ui-all', kind: 'webhook', url: `${http.url}/ui-all-2` }),
        severity: null,
      },
    ]);
    expect(engine.receivers().map((r) => r.name)).toEqual(['file', 'ui-all']);
    await engine.evaluateOnce(t0 + 20 * s);
    expect(engine.alerts()[0]?.state).toBe('resolved');
    expect(http.bodies<WebhookPayload>('/ui-all-2')[0]).toMatchObject({ status: 'resolved' });
    expect(http.bodies('/ui-all')).toHaveLength(1);
    expect(http.bodies<WebhookPayload>('/file')[1]).toMatchObject({ status: 'resolved' });

    engine.setAddedReceivers([]);
    expect(engine.receivers().map((r) => r.name)).toEqual(['file']);

    // A test through a receiver of the file, by name; none for a name nobody has.
    expect(await engine.testReceiver('file', 'ada')).toMatchObject({ ok: true, httpStatus: 200, body: 'ok' });
    expect(http.bodies<WebhookPayload>('/file').at(-1)?.alerts[0]?.labels.alertname).toBe('TestNotification');
    expect(await engine.testReceiver('ui-all', 'ada')).toBeNull();
    await engine.stop();
  });
});

describe('sendTestNotification', () => {
  it("brings back the receiver's status and the start of its body", async () => {
    http.reply((res) =>
      res.writeHead(202, { 'content-type': 'text/plain' }).end(`accepted ${'x'.repeat(300)}`),
    );
    const receiver = buildReceiver({ name: 'hook', kind: 'webhook', url: `${http.url}/test` });
    const answer = await sendTestNotification(receiver, { externalUrl: 'http://dash.test', by: 'ada' });
    expect(answer).toMatchObject({ ok: true, httpStatus: 202, error: null });
    expect(answer.body).toBe(`accepted ${'x'.repeat(191)}`);
    const [payload] = http.bodies<WebhookPayload>('/test');
    expect(payload?.alerts[0]?.labels).toMatchObject({ alertname: 'TestNotification', test: 'true' });
    expect(payload?.alerts[0]?.annotations.summary).toMatch(/^TEST notification sent by ada/);
  });

  it('reports a refusal once (no retries) and a network error', async () => {
    http.reply((res) => res.writeHead(500).end('boom'));
    const before = http.bodies('/fail').length;
    const refused = await sendTestNotification(
      buildReceiver({ name: 'hook', kind: 'webhook', url: `${http.url}/fail` }),
      { externalUrl: 'http://dash.test', by: 'ada' },
    );
    expect(refused).toMatchObject({ ok: false, httpStatus: 500, body: 'boom' });
    expect(http.bodies('/fail')).toHaveLength(before + 1);

    const closed = await closedPort();
    const unreachable = await sendTestNotification(
      buildReceiver({ name: 'hook', kind: 'webhook', url: `http://127.0.0.1:${closed}/x` }),
      { externalUrl: 'http://dash.test', by: 'ada' },
    );
    expect(unreachable).toMatchObject({ ok: false, httpStatus: null });
    expect(unreachable.error).toContain('ECONNREFUSED');
  });

  it('resolves the PagerDuty test event it triggered', async () => {
    const receiver = buildReceiver({
      name: 'pd',
      kind: 'pagerduty',
      routingKey: 'R0UTINGKEY0123456789abcdef012345',
      eventsUrl: `${http.url}/pd`,
    });
    expect(receiver.hint).toBe('key …2345');
    const answer = await sendTestNotification(receiver, { externalUrl: 'http://dash.test', by: 'ada' });
    expect(answer.ok).toBe(true);
    const events = http.bodies<{ event_action: string; dedup_key: string }>('/pd');
    expect(events.map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
    expect(events[0]?.dedup_key).toBe(events[1]?.dedup_key);
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
