// Where an alert's notifications go, as the Alerts page and the Overview show it, on a real alert
// engine and chDB store: with the shipped routing and no routing variable set (a fresh laptop) a
// firing alert says "no receiver configured", not "notifying"; with ALERT_WEBHOOK_URL set it names
// the webhook; a silenced or acknowledged alert says so on the Overview as on the Alerts page.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlertEngine, createAlertEngine, insertSeries, parseRuleFile, type Rule } from 'alert-rules';
import { createStore, type Store } from 'collector';
import { AppRouterContext } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertInstances } from '../../src/components/alerts/alert-instances.tsx';
import { ActiveAlerts } from '../../src/components/overview/active-alerts.tsx';
import type { ActiveAlertView } from '../../src/lib/alert-view.ts';
import { readAlerts } from '../../src/server/routers/alerts.ts';
import type { Services } from '../../src/server/services.ts';

let dir: string;
let store: Store;
let rules: Rule[];
let receiver: Server;
let webhookUrl: string;
const engines: AlertEngine[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-alert-delivery-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  const parsed = parseRuleFile(
    `groups:
  - name: g
    interval: 5s
    rules:
      - alert: LevelHigh
        metric: test.level
        kind: gauge
        stat: last
        service: svc
        window: 30s
        op: ">"
        threshold: 1
        labels: { severity: page }
`,
    'delivery.yaml',
  );
  expect(parsed.errors).toEqual([]);
  rules = parsed.rules;
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  await insertSeries(store.client, [{ series: 'test.level{service="svc"}', values: '5x19', kind: 'gauge' }], {
    start: Date.now() - 20_000,
    stepMs: 1000,
  });
});

afterAll(async () => {
  for (const engine of engines) await engine.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An engine on the shipped routing file (routing.yaml), with these routing variables set. */
async function engineWith(env: Record<string, string>): Promise<AlertEngine> {
  const engine = createAlertEngine({ client: store.client, rules, env, redisUrl: null, log: () => {} });
  engines.push(engine);
  await engine.evaluateOnce();
  return engine;
}

const snapshot = (engine: AlertEngine) =>
  readAlerts({ alerts: engine, store } as unknown as Services, Date.now());

/** The Alerts page's instance table, as the server renders it. */
const alertsPage = (alerts: readonly ActiveAlertView[]) =>
  text(
    renderToStaticMarkup(
      createElement(AlertInstances, { alerts, now: Date.now(), empty: '', actions: null }),
    ),
  );

/** The Overview's active-alert list (its links need Next's app router in context). */
const overviewHtml = (alerts: readonly ActiveAlertView[]) =>
  renderToStaticMarkup(
    createElement(
      AppRouterContext.Provider,
      { value: nextRouter },
      createElement(ActiveAlerts, { alerts, now: Date.now(), empty: '' }),
    ),
  );
const overview = (alerts: readonly ActiveAlertView[]) => text(overviewHtml(alerts));

const noop = () => {};
const nextRouter = {
  back: noop,
  forward: noop,
  refresh: noop,
  push: noop,
  replace: noop,
  prefetch: noop,
  hmrRefresh: noop,
  bfcacheId: 'test',
};
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('alert delivery on the alert views', () => {
  it('says "no receiver configured", not "notifying", when no routing variable is set', async () => {
    const engine = await engineWith({});
    expect(engine.receivers().every((r) => r.missingEnv !== null)).toBe(true);
    const { active } = await snapshot(engine);
    expect(active).toEqual([
      expect.objectContaining({ rule: 'LevelHigh', state: 'firing', delivery: { state: 'no-receiver' } }),
    ]);
    for (const view of [alertsPage(active), overview(active)]) {
      expect(view).toContain('no receiver configured');
      expect(view).not.toContain('notifying');
    }
  });

  it('names the receivers it notifies when one is switched on', async () => {
    const engine = await engineWith({ ALERT_WEBHOOK_URL: webhookUrl });
    const { active } = await snapshot(engine);
    // The page goes to webhook, Slack and PagerDuty; only the webhook has its variable.
    expect(active[0]?.delivery).toEqual({ state: 'notifying', receivers: ['webhook'] });
    expect(alertsPage(active)).toContain('notifying webhook');
    expect(overview(active)).toContain('notifying webhook');
    expect(overview(active)).not.toContain('no receiver configured');
  });

  it('shows a silenced, then an acknowledged alert as such on the Overview and the Alerts page', async () => {
    const engine = await engineWith({ ALERT_WEBHOOK_URL: webhookUrl });
    const silence = await engine.createSilence({
      matchers: ['alertname="LevelHigh"'],
      endsAt: Date.now() + 3_600_000,
      createdBy: 'quinn',
      comment: 'deploying',
    });
    await engine.evaluateOnce();
    let { active } = await snapshot(engine);
    expect(active[0]?.delivery).toEqual({ state: 'silenced' });
    for (const view of [alertsPage(active), overview(active)]) {
      expect(view).toContain('silenced');
      expect(view).not.toContain('notifying');
    }
    expect(overviewHtml(active)).toContain('alert-quiet');

    await engine.expireSilence(silence.id);
    const fingerprint = active[0]!.fingerprint!;
    await engine.acknowledge({ fingerprint, by: 'quinn', comment: 'on it' });
    await engine.evaluateOnce();
    ({ active } = await snapshot(engine));
    expect(active[0]?.delivery).toEqual({ state: 'acknowledged' });
    for (const view of [alertsPage(active), overview(active)]) {
      expect(view).toContain('acked by quinn');
      expect(view).not.toContain('notifying');
    }
  });
});
