// The whole loop on a real embedded ClickHouse (chDB): histogram rows in, the shipped rule goes
// pending → firing → resolved, a local webhook receiver gets Alertmanager v4 payloads, transitions
// land in cp_alert_events, and a restarted engine picks up the firing alert without re-notifying.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAlertEngine } from '../src/engine.ts';
import { parseRuleFile } from '../src/load-rules.ts';
import type { WebhookPayload } from '../src/notify/webhook.ts';
import { recentNotifications } from '../src/store/alert-events.ts';
import { insertHistograms, insertSeries } from './support/series.ts';

const rulesDir = fileURLToPath(new URL('../rules', import.meta.url));
const t0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const s = 1000;
const alertname = 'TargetHighLatencyP95';

let dataDir: string;
let store: Store;
let receiver: Server;
let webhookUrl: string;
let requests = 0;
const received: WebhookPayload[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'alert-rules-engine-'));
  store = await createStore({ dataDir });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests++;
      // The first delivery is throttled, to show the retry honouring Retry-After.
      if (requests === 1) {
        res.writeHead(429, { 'retry-after': '0' }).end();
        return;
      }
      received.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const api =
    'http.server.request.duration{service="car-suggester", http.route="/cars", http.request.method="GET", http.response.status_code="200"}';
  const health =
    'http.server.request.duration{service="car-suggester", http.route="/health", http.request.method="GET", http.response.status_code="200"}';
  // t0-10s … t0+39s: every request to /cars takes 300 ms; from t0+40s on they take 20 ms.
  // /health is fast throughout and must not dilute the p95 (the rule excludes it).
  await insertHistograms(
    store.client,
    [
      { series: api, values: '0.3x49', countPerStep: 20 },
      { series: health, values: '0.001x99', countPerStep: 200 },
    ],
    { start: t0 - 10 * s, stepMs: s },
  );
  await insertHistograms(store.client, [{ series: api, values: '0.02x45', countPerStep: 20 }], {
    start: t0 + 40 * s,
    stepMs: s,
  });
  // The target is alive throughout: its chaos gauges (TargetNoData's heartbeat) keep coming.
  await insertSeries(
    store.client,
    [{ series: 'chaos.latency_ms{service="car-suggester"}', values: '0x99', kind: 'gauge' }],
    { start: t0 - 10 * s, stepMs: s },
  );
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const latency = (engine: ReturnType<typeof createAlertEngine>) =>
  engine.alerts().find((a) => a.rule === alertname)!;

describe('alert engine on the shipped rules', () => {
  it('goes pending, fires after `for`, survives a restart without re-notifying, keeps firing for `keep_firing_for`, and resolves', async () => {
    const first = createAlertEngine({
      client: store.client,
      rulesDir,
      webhookUrl,
      externalUrl: 'http://dash.test',
      delivery: { baseDelayMs: 10 },
    });
    expect(first.rules().map((r) => r.alert)).toContain('TargetHighLatencyP95');

    await first.evaluateOnce(t0);
    expect(latency(first)).toMatchObject({ state: 'pending', activeAt: t0 });
    expect(latency(first).value).toBeCloseTo(0.3, 5);
    expect(first.alerts().find((a) => a.rule === 'TargetHighErrorRatio')).toMatchObject({
      state: 'inactive',
      value: 0,
    });

    await first.evaluateOnce(t0 + 5 * s);
    expect(latency(first).state).toBe('pending');
    await first.evaluateOnce(t0 + 9 * s);
    expect(latency(first).state).toBe('pending');
    expect(received).toHaveLength(0);

    await first.evaluateOnce(t0 + 10 * s);
    expect(latency(first)).toMatchObject({ state: 'firing', activeAt: t0 });
    expect(received).toHaveLength(1);

    // A new engine on the same store: restored as firing, nothing sent again.
    const second = createAlertEngine({
      client: store.client,
      rulesDir,
      webhookUrl,
      externalUrl: 'http://dash.test',
    });
    await second.evaluateOnce(t0 + 12 * s);
    expect(latency(second)).toMatchObject({ state: 'firing', activeAt: t0 });
    await second.evaluateOnce(t0 + 42 * s); // window still holds slow requests
    expect(latency(second).state).toBe('firing');
    expect(received).toHaveLength(1);

    // Window [t0+40s, t0+45s) holds only fast requests: false, but kept firing for 30 s.
    await second.evaluateOnce(t0 + 45 * s);
    expect(latency(second).state).toBe('firing');
    await second.evaluateOnce(t0 + 73 * s);
    expect(latency(second).state).toBe('firing');
    expect(received).toHaveLength(1);
    await second.evaluateOnce(t0 + 75 * s);
    expect(latency(second).state).toBe('resolved');
    expect(latency(second).value).toBeCloseTo(0.02, 5);
    await second.evaluateOnce(t0 + 77 * s);
    expect(latency(second).state).toBe('inactive');

    expect(received.map((p) => p.status)).toEqual(['firing', 'resolved']);
    const [firing, resolved] = received as [WebhookPayload, WebhookPayload];
    expect(firing).toEqual({
      version: '4',
      groupKey: '{}:{alertname="TargetHighLatencyP95"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'webhook',
      groupLabels: { alertname },
      commonLabels: { alertname, service: 'car-suggester', severity: 'page' },
      commonAnnotations: expect.objectContaining({ summary: 'p95 latency of car-suggester is 300 ms' }),
      externalURL: 'http://dash.test',
      alerts: [
        {
          status: 'firing',
          labels: { alertname, service: 'car-suggester', severity: 'page' },
          annotations: expect.objectContaining({ summary: 'p95 latency of car-suggester is 300 ms' }),
          startsAt: new Date(t0 + 10 * s).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://dash.test/alerts?rule=TargetHighLatencyP95',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
          // Beyond Alertmanager's fields: the value, raw and in the rule's unit (seconds).
          value: expect.closeTo(0.3, 3),
          valueString: '300 ms',
        },
      ],
    });
    expect(resolved.alerts[0]).toMatchObject({
      status: 'resolved',
      startsAt: new Date(t0 + 10 * s).toISOString(),
      endsAt: new Date(t0 + 75 * s).toISOString(),
      fingerprint: firing.alerts[0]!.fingerprint,
      // The annotations the alert had while it was true.
      annotations: expect.objectContaining({ summary: 'p95 latency of car-suggester is 300 ms' }),
    });

    const events = (await second.recent(50)).filter((e) => e.rule === alertname);
    expect(events.map((e) => [e.rule, e.previousState, e.state, e.at - t0])).toEqual([
      [alertname, 'resolved', 'inactive', 77 * s],
      [alertname, 'firing', 'resolved', 75 * s],
      [alertname, 'pending', 'firing', 10 * s],
      [alertname, 'inactive', 'pending', 0],
    ]);
    expect(events[2]).toMatchObject({
      activeAt: t0,
      labels: { alertname, service: 'car-suggester', severity: 'page' },
    });

    // Each delivery attempt is logged: the throttled one, its retry, and the resolve.
    const attempts = await recentNotifications(store.client, 10);
    expect(attempts.map((a) => [a.status, a.attempt, a.httpStatus]).reverse()).toEqual([
      ['firing', 1, 429],
      ['firing', 2, 200],
      ['resolved', 1, 200],
    ]);
  });

  it('puts a rule without data in nodata and a failing query in error, without stopping the others', async () => {
    const text = `groups:
  - name: other
    interval: 5s
    rules:
      - alert: NoSuchMetric
        metric: does.not.exist
        kind: histogram
        stat: p95
        window: 10s
        op: '>'
        threshold: 1
`;
    const { rules, errors } = parseRuleFile(text, 'inline.yaml');
    expect(errors).toEqual([]);
    const [noData] = rules;
    // Not expressible in a valid file: a stat the histogram query refuses, so the query throws.
    const failing = {
      ...noData!,
      alert: 'BrokenQuery',
      metric: 'http.server.request.duration',
      stat: 'last' as const,
    };
    const fine = {
      ...noData!,
      alert: 'AnyTraffic',
      metric: 'http.server.request.duration',
      stat: 'count' as const,
      threshold: 0,
    };
    // The same unknowns under other per-rule policies: no data counts as true, an error as false.
    const noDataAlerts = { ...noData!, alert: 'NoSuchMetricAlerting', noData: 'alerting' as const };
    const errorIsOk = { ...failing, alert: 'BrokenQueryOk', onError: 'ok' as const };
    const engine = createAlertEngine({
      client: store.client,
      rules: [failing, noData!, fine, noDataAlerts, errorIsOk],
      routing: null,
      log: () => {},
    });
    await engine.evaluateOnce(t0 + 5 * s);
    const byRule = Object.fromEntries(engine.alerts().map((a) => [a.rule, a]));
    expect(byRule.BrokenQuery).toMatchObject({
      state: 'error',
      held: 'inactive',
      lastError: expect.stringMatching(/last/),
    });
    expect(byRule.NoSuchMetric).toMatchObject({
      state: 'nodata',
      held: 'inactive',
      value: null,
      lastError: null,
    });
    // [t0-5s, t0+5s): ten 1 s steps of 20 requests to /cars and 200 to /health.
    expect(byRule.AnyTraffic).toMatchObject({ state: 'firing', value: 10 * (20 + 200) });
    expect(byRule.NoSuchMetricAlerting).toMatchObject({ state: 'firing', value: null });
    expect(byRule.BrokenQueryOk).toMatchObject({
      state: 'inactive',
      lastError: expect.stringMatching(/last/),
    });
    // Each rule's evaluation is timed, failing ones included.
    for (const a of engine.alerts()) expect(a.lastEvalDurationMs).toBeGreaterThan(0);
    expect(Object.keys(engine.evaluationTimes())).toEqual([
      'BrokenQuery',
      'NoSuchMetric',
      'AnyTraffic',
      'NoSuchMetricAlerting',
      'BrokenQueryOk',
    ]);
    const ours = new Set(engine.rules().map((r) => r.alert));
    const events = (await engine.recent(20)).filter((e) => ours.has(e.rule));
    expect(events.map((e) => `${e.rule}:${e.previousState}→${e.state}`).sort()).toEqual([
      'AnyTraffic:inactive→firing',
      'BrokenQuery:inactive→error',
      'NoSuchMetric:inactive→nodata',
      'NoSuchMetricAlerting:inactive→firing',
    ]);
  });

  it('start() evaluates each group on its interval until stop()', async () => {
    let clock = t0 + 100 * s;
    const engine = createAlertEngine({ client: store.client, rulesDir, now: () => clock, log: () => {} });
    engine.start();
    await vi.waitFor(() => expect(latency(engine).lastEvalAt).toBe(t0 + 100 * s), { timeout: 10_000 });
    clock += 2 * s;
    await vi.waitFor(() => expect(latency(engine).lastEvalAt).toBe(t0 + 102 * s), { timeout: 10_000 });
    await engine.stop();
    expect(latency(engine).state).toBe('nodata'); // nothing was recorded after t0+89s
  });
});
