// Notifications speak in the rule's unit: two shipped rules (a latency in seconds, a memory size in
// bytes) fire on chDB data, and the webhook, Slack and PagerDuty bodies that reach real local HTTP
// receivers carry each value formatted ("251 ms", "599.4 MB"), beside annotations that agree.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAlertEngine } from '../../src/engine.ts';
import { loadRules } from '../../src/load-rules.ts';
import { parseRoutingConfig } from '../../src/notify/routing-config.ts';
import type { WebhookPayload } from '../../src/notify/webhook.ts';
import { type HttpReceiver, startHttpReceiver } from '../support/http-receiver.ts';
import { insertSeries } from '../support/series.ts';

const t0 = Date.UTC(2025, 6, 1, 9, 0, 0);
const s = 1000;
let dir: string;
let store: Store;
let http: HttpReceiver;

// The shipped rules as they are, but firing at once (their `for` is what rule tests cover).
const shipped = loadRules(fileURLToPath(new URL('../../rules', import.meta.url)));
const rules = shipped.rules
  .filter((r) => r.alert === 'TargetSlowDatabaseQueries' || r.alert === 'TargetHighMemory')
  .map((r) => ({ ...r, forMs: 0 }));

const routing = parseRoutingConfig(
  `route:
  receiver: hook
  group_by: [alertname]
  routes:
    - { receiver: hook, continue: true }
    - { receiver: chat, continue: true }
    - { receiver: pager }
receivers:
  - { name: hook, webhook: { url_env: TEST_HOOK_URL } }
  - { name: chat, slack: { url_env: TEST_SLACK_URL } }
  - { name: pager, pagerduty: { routing_key_env: TEST_PD_KEY, url_env: TEST_PD_URL } }
`,
  'routing.yaml',
);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-payload-values-'));
  store = await createStore({ dataDir: dir });
  http = await startHttpReceiver();
  await insertSeries(
    store.client,
    [
      // Every SELECT takes 251.3 ms: the average is exactly that.
      {
        series: 'db.client.operation.duration{service="car-suggester", db.operation.name="SELECT"}',
        values: '0.2513x59',
      },
      { series: 'process.memory.usage{service="car-suggester"}', values: '599400000x59', kind: 'gauge' },
    ],
    { start: t0 - 50 * s, stepMs: s },
  );
});

afterAll(async () => {
  await http?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('webhook, Slack and PagerDuty payloads carry the value in the rule’s unit', async () => {
  expect(shipped.errors).toEqual([]);
  expect(rules).toHaveLength(2);
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
      TEST_PD_KEY: 'R0UTINGKEY0123456789abcdef012345',
    },
    log: () => {},
  });
  await engine.evaluateOnce(t0);
  await expect.poll(() => http.received.length, { timeout: 10_000 }).toBe(6);
  await engine.stop();

  const hook = http.bodies<WebhookPayload>('/hook').flatMap((p) => p.alerts);
  const byRule = (name: string) => hook.find((a) => a.labels.alertname === name);
  expect(byRule('TargetSlowDatabaseQueries')).toMatchObject({
    value: expect.closeTo(0.2513, 9), // the store's sum over count: 0.25130000000000025
    valueString: '251 ms',
    annotations: { summary: 'SELECT queries of car-suggester average 251 ms' },
  });
  expect(byRule('TargetHighMemory')).toMatchObject({
    value: 599_400_000,
    valueString: '599.4 MB',
    annotations: { summary: 'car-suggester uses 599.4 MB of memory (RSS, target < 200 MB)' },
  });

  const slackFields = JSON.stringify(http.bodies('/slack'));
  expect(slackFields).toContain('*Value*\\n251 ms');
  expect(slackFields).toContain('*Value*\\n599.4 MB');
  expect(slackFields).not.toContain('0.2513');

  const pd = http.bodies<{
    payload: { class: string; summary: string; custom_details: Record<string, unknown> };
  }>('/pd');
  const details = Object.fromEntries(pd.map((e) => [e.payload.class, e.payload.custom_details]));
  expect(details.TargetSlowDatabaseQueries).toMatchObject({
    value: '251 ms',
    raw_value: expect.closeTo(0.2513, 9),
    unit: 's',
  });
  expect(details.TargetHighMemory).toMatchObject({ value: '599.4 MB', raw_value: 599_400_000, unit: 'By' });
  expect(pd.map((e) => e.payload.summary).sort()).toEqual([
    'SELECT queries of car-suggester average 251 ms',
    'car-suggester uses 599.4 MB of memory (RSS, target < 200 MB)',
  ]);
});
