// A notification whose three delivery attempts all failed is not lost: as in Alertmanager (whose
// notification log records only deliveries that succeeded), the group stays due and is sent again
// at the next evaluation after group_interval — not only at repeat_interval (4 h by default), and
// for a resolve not never. The receiver is a real local HTTP server answering 503 while "down".
import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDispatcher } from '../../src/notify/dispatcher.ts';
import type { GroupAlert } from '../../src/notify/receivers.ts';
import { parseRoutingConfig } from '../../src/notify/routing-config.ts';
import type { WebhookPayload } from '../../src/notify/webhook.ts';
import { recentNotifications } from '../../src/store/alert-events.ts';
import { type HttpReceiver, startHttpReceiver } from '../support/http-receiver.ts';

const t0 = Date.UTC(2025, 6, 1, 9, 0, 0);
const s = 1000;
let dir: string;
let store: Store;
let http: HttpReceiver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-redelivery-'));
  store = await createStore({ dataDir: dir });
  http = await startHttpReceiver();
});
afterAll(async () => {
  await http?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const alert = (name: string, status: 'firing' | 'resolved', at: number): GroupAlert => ({
  rule: 'Redelivery',
  fingerprint: name,
  status,
  labels: { alertname: 'Redelivery', instance: name },
  annotations: {},
  value: 1,
  startsAt: t0,
  endsAt: status === 'resolved' ? at : null,
});
const down = (res: ServerResponse) => res.writeHead(503).end('down');

function dispatcherTo(path: string) {
  return createDispatcher({
    client: store.client,
    // group_interval 5 s, repeat_interval 4 h: the defaults, spelled out.
    routing: parseRoutingConfig(
      'route: { receiver: t, group_interval: 5s, repeat_interval: 4h }\nreceivers: [{ name: t, webhook: { url_env: T } }]',
      't.yaml',
    ),
    env: { T: `${http.url}${path}` },
    externalUrl: 'http://dash.test',
    // Three attempts as in production, with short waits between them.
    delivery: { attempts: 3, baseDelayMs: 10 },
    log: () => {},
  });
}

const sentTo = (path: string) =>
  http.bodies<WebhookPayload>(path).map((p) => p.alerts.map((a) => `${a.fingerprint}:${a.status}`));
const attemptsFor = async (fingerprint: string) =>
  (await recentNotifications(store.client, 100))
    .filter((n) => n.fingerprint === fingerprint)
    .reverse()
    .map((n) => `${n.status}#${n.attempt} ${n.error ?? 'ok'}`);

it('a firing notification that failed three times is sent at the next evaluation after group_interval once the receiver is back', async () => {
  const dispatcher = dispatcherTo('/firing');
  http.reply(down, down, down);
  dispatcher.enqueue(alert('a', 'firing', t0), t0);
  await dispatcher.flush(t0);
  expect(http.bodies('/firing')).toHaveLength(3); // three attempts, all refused
  expect(sentTo('/firing')).toEqual([['a:firing'], ['a:firing'], ['a:firing']]);

  // The receiver is back. Within group_interval nothing is sent; at the next tick after it, the firing is.
  await dispatcher.flush(t0 + 2 * s);
  expect(http.bodies('/firing')).toHaveLength(3);
  await dispatcher.flush(t0 + 5 * s);
  expect(sentTo('/firing')).toHaveLength(4);
  expect(sentTo('/firing')[3]).toEqual(['a:firing']);
  // Delivered now: no more sends until repeat_interval.
  await dispatcher.flush(t0 + 10 * s);
  await dispatcher.flush(t0 + 60 * s);
  expect(sentTo('/firing')).toHaveLength(4);

  expect(await attemptsFor('a')).toEqual([
    'firing#1 HTTP 503 Service Unavailable',
    'firing#2 HTTP 503 Service Unavailable',
    'firing#3 HTTP 503 Service Unavailable',
    'firing#1 ok',
  ]);
});

it('a resolve that failed three times is sent again, not dropped', async () => {
  const dispatcher = dispatcherTo('/resolve');
  dispatcher.enqueue(alert('b', 'firing', t0), t0);
  await dispatcher.flush(t0);
  expect(sentTo('/resolve')).toEqual([['b:firing']]);

  http.reply(down, down, down);
  dispatcher.enqueue(alert('b', 'resolved', t0 + 20 * s), t0 + 20 * s);
  await dispatcher.flush(t0 + 20 * s);
  expect(sentTo('/resolve')).toHaveLength(4);

  await dispatcher.flush(t0 + 25 * s);
  expect(sentTo('/resolve')).toHaveLength(5);
  expect(sentTo('/resolve')[4]).toEqual(['b:resolved']);
  // Said once: the group is done.
  await dispatcher.flush(t0 + 30 * s);
  await dispatcher.flush(t0 + 5 * 3_600 * s);
  expect(sentTo('/resolve')).toHaveLength(5);
  expect((await attemptsFor('b')).slice(-2)).toEqual([
    'resolved#3 HTTP 503 Service Unavailable',
    'resolved#1 ok',
  ]);
});

it('an alert that was announced and resolves while the receiver is down is resolved, not re-fired, when it is back', async () => {
  const dispatcher = dispatcherTo('/repeat');
  dispatcher.enqueue(alert('c', 'firing', t0), t0);
  await dispatcher.flush(t0);
  // A repeat fails (receiver down at the 4 h mark); meanwhile the alert resolves.
  http.reply(down, down, down);
  await dispatcher.flush(t0 + 4 * 3_600 * s);
  expect(sentTo('/repeat')).toHaveLength(4);
  const later = t0 + 4 * 3_600 * s + 2 * s;
  dispatcher.enqueue(alert('c', 'resolved', later), later);
  await dispatcher.flush(later + 5 * s);
  expect(sentTo('/repeat').at(-1)).toEqual(['c:resolved']);
  await dispatcher.flush(later + 60 * s);
  expect(sentTo('/repeat')).toHaveLength(5);
});

it('a receiver that hangs does not hold up the evaluation, and its group is not sent twice meanwhile', async () => {
  const dispatcher = createDispatcher({
    client: store.client,
    routing: parseRoutingConfig(
      'route: { receiver: t, group_interval: 5s }\nreceivers: [{ name: t, webhook: { url_env: T } }]',
      't.yaml',
    ),
    env: { T: `${http.url}/hang` },
    externalUrl: 'http://dash.test',
    delivery: { attempts: 3, baseDelayMs: 10, timeoutMs: 60_000 },
    flushWaitMs: 100,
    log: () => {},
  });
  let hung: ServerResponse | undefined;
  http.reply((res) => {
    hung = res;
  });
  dispatcher.enqueue(alert('d', 'firing', t0), t0);
  // Returns while the receiver still holds the request: had flush waited for it, this would never end.
  await dispatcher.flush(t0);
  expect(hung).toBeDefined();
  // Another alert, past group_interval: the group is due, but its first delivery is still in flight.
  dispatcher.enqueue(alert('e', 'firing', t0 + 6 * s), t0 + 6 * s);
  await dispatcher.flush(t0 + 6 * s);
  expect(sentTo('/hang')).toEqual([['d:firing']]);

  hung?.writeHead(200).end('ok');
  await dispatcher.settled();
  expect(await attemptsFor('d')).toEqual(['firing#1 ok']);
  await dispatcher.flush(t0 + 12 * s);
  expect(sentTo('/hang')).toEqual([['d:firing'], ['d:firing', 'e:firing']]);
}, 20_000);
