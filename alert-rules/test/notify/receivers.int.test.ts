// Notifications end to end on real parts: a `by` rule on chDB data fires one instance per route;
// routing sends the group to an Alertmanager webhook, a Slack incoming webhook and PagerDuty's
// Events API (all real local HTTP receivers); resolve per instance; group_interval and
// repeat_interval; secrets come from the environment by name and never reach the log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../src/engine.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { createDispatcher } from '../../src/notify/dispatcher.ts';
import type { GroupAlert } from '../../src/notify/receivers.ts';
import { parseRoutingConfig } from '../../src/notify/routing-config.ts';
import type { WebhookPayload } from '../../src/notify/webhook.ts';
import { recentNotifications } from '../../src/store/alert-events.ts';
import { type HttpReceiver, startHttpReceiver } from '../support/http-receiver.ts';
import { insertSeries } from '../support/series.ts';

const t0 = Date.UTC(2025, 6, 1, 9, 0, 0);
const s = 1000;
const routingKey = 'R0UTINGKEY0123456789abcdef012345';
let dir: string;
let store: Store;
let http: HttpReceiver;

const { rules, errors } = parseRuleFile(
  `groups:
  - name: routes
    interval: 2s
    rules:
      - alert: RouteSlow
        metric: http.server.request.duration
        kind: histogram
        stat: p95
        service: car-suggester
        by: [http.route]
        window: 10s
        op: '>'
        threshold: 0.2
        labels: { severity: page }
        annotations:
          summary: '{{ $labels.http_route }} p95 is {{ $value | humanizeDuration }}'
          runbook_url: https://runbooks.test/route-slow
`,
  'inline.yaml',
);

const routing = parseRoutingConfig(
  `route:
  receiver: hook
  group_by: [alertname]
  group_interval: 5s
  repeat_interval: 30s
  routes:
    - { receiver: hook, continue: true }
    - { receiver: chat, continue: true }
    - { receiver: pager, matchers: ['severity="page"'] }
receivers:
  - { name: hook, webhook: { url_env: TEST_HOOK_URL } }
  - { name: chat, slack: { url_env: TEST_SLACK_URL, channel: '#oncall' } }
  - { name: pager, pagerduty: { routing_key_env: TEST_PD_KEY, url_env: TEST_PD_URL } }
  - { name: unset, slack: { url_env: NOT_SET_ANYWHERE } }
`,
  'routing.yaml',
);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-receivers-'));
  store = await createStore({ dataDir: dir });
  http = await startHttpReceiver();
  const series = (route: string) =>
    `http.server.request.duration{service="car-suggester", http.route="${route}", http.response.status_code="200"}`;
  // /a slow throughout; /b slow until t0, fast after; /c always fast.
  await insertSeries(
    store.client,
    [
      { series: series('/a'), values: '0.4x69' },
      { series: series('/b'), values: '0.4x9 0.01x59' },
      { series: series('/c'), values: '0.01x69' },
    ],
    { start: t0 - 10 * s, stepMs: s },
  );
});

afterAll(async () => {
  await http?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('routing to webhook, Slack and PagerDuty', () => {
  it('groups instances, resolves per instance, repeats, and keeps secrets out of logs', async () => {
    expect(errors).toEqual([]);
    const logs: string[] = [];
    const engine = createAlertEngine({
      client: store.client,
      rules,
      routing,
      redisUrl: null,
      externalUrl: 'http://dash.test',
      env: {
        TEST_HOOK_URL: `${http.url}/hook`,
        TEST_SLACK_URL: `${http.url}/slack`,
        TEST_PD_URL: `${http.url}/pd`,
        TEST_PD_KEY: routingKey,
      },
      log: (m) => logs.push(m),
    });
    expect(engine.receivers().find((r) => r.name === 'unset')).toEqual({
      name: 'unset',
      kind: 'slack',
      missingEnv: 'NOT_SET_ANYWHERE',
      secretEnv: 'NOT_SET_ANYWHERE',
      hint: null,
      source: 'file',
      severity: null,
    });
    // What may be shown of a secret: the URL's host, a routing key's last 4 characters.
    expect(engine.receivers().find((r) => r.name === 'pager')?.hint).toBe('key …2345');
    expect(engine.receivers().find((r) => r.name === 'hook')?.hint).toBe(`${new URL(http.url).host}/…`);

    await engine.evaluateOnce(t0);
    const instances = engine.alerts().filter((a) => a.state === 'firing');
    expect(instances.map((a) => a.labels.http_route).sort()).toEqual(['/a', '/b']);
    const fp = Object.fromEntries(instances.map((a) => [a.labels.http_route, a.fingerprint]));

    // One webhook payload for the group, both instances in it.
    const [hook] = http.bodies<WebhookPayload>('/hook');
    expect(hook).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'hook',
      groupLabels: { alertname: 'RouteSlow' },
    });
    expect(hook!.alerts.map((a) => [a.labels.http_route, a.status]).sort()).toEqual([
      ['/a', 'firing'],
      ['/b', 'firing'],
    ]);

    // Slack: header, a section per alert with summary and value, runbook and dashboard links.
    const [slack] = http.bodies<{ channel: string; text: string; blocks: Record<string, unknown>[] }>(
      '/slack',
    );
    expect(slack!.channel).toBe('#oncall');
    expect(slack!.text).toBe('[FIRING:2] RouteSlow');
    const text = JSON.stringify(slack!.blocks);
    expect(text).toContain('/a p95 is 400ms');
    expect(text).toContain('*Value*\\n400 ms'); // the value in the rule's unit (seconds)
    expect(text).toContain('<https://runbooks.test/route-slow|Runbook>');
    expect(text).toContain(`<http://dash.test/alerts?rule=RouteSlow&fingerprint=${fp['/a']}|Dashboard>`);

    // PagerDuty: one trigger per instance, dedup_key from the fingerprint.
    const pd = () => http.bodies<Record<string, unknown>>('/pd');
    expect(
      pd()
        .map((e) => [e.event_action, e.dedup_key])
        .sort(),
    ).toEqual(
      [
        ['trigger', `alert-rules/${fp['/a']}`],
        ['trigger', `alert-rules/${fp['/b']}`],
      ].sort(),
    );
    expect(pd()[0]).toMatchObject({
      routing_key: routingKey,
      payload: { severity: 'critical', source: 'car-suggester', class: 'RouteSlow' },
    });

    // Nothing new: nothing sent.
    await engine.evaluateOnce(t0 + 2 * s);
    expect(http.received).toHaveLength(4);

    // /b's window is fast from t0+10s: it resolves alone; /a keeps firing.
    await engine.evaluateOnce(t0 + 10 * s);
    const byRoute = Object.fromEntries(engine.alerts().map((a) => [a.labels.http_route, a.state]));
    expect(byRoute).toMatchObject({ '/a': 'firing', '/b': 'resolved', '/c': 'inactive' });
    const update = http.bodies<WebhookPayload>('/hook')[1]!;
    expect(update.status).toBe('firing');
    expect(update.alerts.map((a) => [a.labels.http_route, a.status]).sort()).toEqual([
      ['/a', 'firing'],
      ['/b', 'resolved'],
    ]);
    expect(
      pd()
        .slice(2)
        .map((e) => [e.event_action, e.dedup_key]),
    ).toContainEqual(['resolve', `alert-rules/${fp['/b']}`]);

    // Still firing, unchanged: re-sent after repeat_interval (30 s), not before.
    await engine.evaluateOnce(t0 + 30 * s);
    expect(http.bodies('/hook')).toHaveLength(2);
    await engine.evaluateOnce(t0 + 41 * s);
    const repeat = http.bodies<WebhookPayload>('/hook')[2]!;
    expect(repeat.alerts.map((a) => a.labels.http_route)).toEqual(['/a']);

    // Every attempt is in the delivery log; secrets are in no log line.
    const attempts = await recentNotifications(store.client, 100);
    expect(new Set(attempts.map((a) => a.receiver))).toEqual(new Set(['hook', 'chat', 'pager']));
    expect(logs.join('\n')).toContain('NOT_SET_ANYWHERE');
    for (const secret of [routingKey, http.url]) expect(logs.join('\n')).not.toContain(secret);
    await engine.stop();
  });
});

describe('dispatcher timing', () => {
  const alert = (name: string, status: 'firing' | 'resolved', at: number): GroupAlert => ({
    rule: 'Timing',
    fingerprint: name,
    status,
    labels: { alertname: 'Timing', instance: name },
    annotations: {},
    value: 1,
    startsAt: at,
    endsAt: status === 'resolved' ? at : null,
  });

  it('holds a group for group_wait, then batches changes to at most one send per group_interval', async () => {
    const dispatcher = createDispatcher({
      client: store.client,
      routing: parseRoutingConfig(
        'route: { receiver: t, group_wait: 3s, group_interval: 10s }\nreceivers: [{ name: t, webhook: { url_env: T } }]',
        't.yaml',
      ),
      env: { T: `${http.url}/timing` },
      externalUrl: 'http://dash.test',
      log: () => {},
    });
    const sent = () =>
      http.bodies<WebhookPayload>('/timing').map((p) => p.alerts.map((a) => `${a.fingerprint}:${a.status}`));
    dispatcher.enqueue(alert('x', 'firing', t0), t0);
    await dispatcher.flush(t0);
    dispatcher.enqueue(alert('y', 'firing', t0 + s), t0 + s);
    await dispatcher.flush(t0 + s);
    expect(sent()).toEqual([]); // group_wait
    await dispatcher.flush(t0 + 3 * s);
    expect(sent()).toEqual([['x:firing', 'y:firing']]);
    dispatcher.enqueue(alert('x', 'resolved', t0 + 5 * s), t0 + 5 * s);
    await dispatcher.flush(t0 + 5 * s);
    expect(sent()).toHaveLength(1); // within group_interval
    await dispatcher.flush(t0 + 13 * s);
    expect(sent()[1]).toEqual(['x:resolved', 'y:firing']);
    // A resolve the group never announced as firing is not news.
    dispatcher.enqueue(alert('z', 'firing', t0 + 14 * s), t0 + 14 * s);
    dispatcher.enqueue(alert('z', 'resolved', t0 + 15 * s), t0 + 15 * s);
    await dispatcher.flush(t0 + 23 * s);
    expect(sent()[2]).toEqual(['y:firing']);
  });

  it('leaves out alerts an inhibition rule mutes, and sends them once the source resolves', async () => {
    const dispatcher = createDispatcher({
      client: store.client,
      routing: parseRoutingConfig(
        `route: { receiver: t, group_by: [] }
receivers: [{ name: t, webhook: { url_env: T } }]
inhibit_rules: [{ source_matchers: ['severity="page"'], target_matchers: ['severity="ticket"'] }]`,
        'i.yaml',
      ),
      env: { T: `${http.url}/inhibit` },
      externalUrl: 'http://dash.test',
      log: () => {},
    });
    const sent = () =>
      http.bodies<WebhookPayload>('/inhibit').map((p) => p.alerts.map((a) => `${a.fingerprint}:${a.status}`));
    const withSeverity = (a: GroupAlert, severity: string) => ({ ...a, labels: { ...a.labels, severity } });
    dispatcher.enqueue(withSeverity(alert('page', 'firing', t0), 'page'), t0);
    dispatcher.enqueue(withSeverity(alert('ticket', 'firing', t0), 'ticket'), t0);
    await dispatcher.flush(t0);
    expect(sent()).toEqual([['page:firing']]);
    dispatcher.enqueue(withSeverity(alert('page', 'resolved', t0 + 10 * s), 'page'), t0 + 10 * s);
    await dispatcher.flush(t0 + 10 * s);
    expect(sent()[1]).toEqual(['page:resolved', 'ticket:firing']);
  });
});
