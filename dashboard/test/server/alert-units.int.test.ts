// The alerts views speak in each rule's unit, with the text its notifications carry: a latency in
// seconds reads "251 ms" (not "0.25 ms"), its threshold "100 ms", memory "599.4 MB" (not
// "5.994e+8"), a ratio from SQL "19.6 %" (not "0.1963"), a SQL row with its own unit "300 ms" — for
// active alerts, rules and transitions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlertEngine, createAlertEngine, insertSeries, parseRuleFile } from 'alert-rules';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readAlerts } from '../../src/server/routers/alerts.ts';
import type { Services } from '../../src/server/services.ts';

let dir: string;
let store: Store;
let engine: AlertEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-alert-units-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  const { rules, errors } = parseRuleFile(
    `groups:
  - name: g
    interval: 5s
    rules:
      - alert: SlowQueries
        metric: db.client.operation.duration # OTel: seconds
        kind: histogram
        stat: avg
        service: svc
        window: 30s
        op: ">"
        threshold: 0.1
        annotations: { summary: "queries average {{ $value | humanizeUnit }}" }
      - alert: BigProcess
        metric: process.memory.usage # OTel: bytes
        kind: gauge
        stat: avg
        service: svc
        window: 30s
        op: ">"
        threshold: 200000000
      - alert: LowHitRatio
        sql: SELECT 0.1963 AS value
        unit: "1"
        window: 30s
        op: "<"
        threshold: 0.8
      - alert: SettingOn
        sql: SELECT 'latency' AS setting, 'ms' AS unit, 300 AS value # a row with its own unit
        window: 30s
        op: ">"
        threshold: 0
`,
    'units.yaml',
  );
  expect(errors).toEqual([]);
  engine = createAlertEngine({ client: store.client, rules, routing: null, redisUrl: null, log: () => {} });
  await insertSeries(
    store.client,
    [
      { series: 'db.client.operation.duration{service="svc"}', values: '0.2513x19' },
      { series: 'process.memory.usage{service="svc"}', values: '599400000x19', kind: 'gauge' },
    ],
    { start: Date.now() - 20_000, stepMs: 1000 },
  );
  await engine.evaluateOnce();
});

afterAll(async () => {
  await engine?.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('shows values, thresholds and annotations in each rule’s unit', async () => {
  const snapshot = await readAlerts({ alerts: engine } as unknown as Services, Date.now());
  expect(snapshot.error).toBeNull();
  const active = Object.fromEntries(snapshot.active.map((a) => [a.rule, [a.value, a.summary]]));
  expect(active).toEqual({
    SlowQueries: ['251 ms', 'queries average 251 ms'],
    BigProcess: ['599.4 MB', null],
    LowHitRatio: ['19.6 %', null],
    SettingOn: ['300 ms', null],
  });
  const rules = Object.fromEntries(snapshot.rules.map((r) => [r.name, [r.condition, r.value]]));
  expect(rules).toEqual({
    SlowQueries: ['avg(db.client.operation.duration) over 30s > 100 ms', '251 ms'],
    BigProcess: ['avg(process.memory.usage) over 30s > 200 MB', '599.4 MB'],
    LowHitRatio: ['sql over 30s < 80 %', '19.6 %'],
    SettingOn: ['sql over 30s > 0', '300 ms'],
  });
  expect(new Set(snapshot.recent.map((t) => `${t.rule} ${t.to} ${t.value}`))).toEqual(
    new Set([
      'SlowQueries firing 251 ms',
      'BigProcess firing 599.4 MB',
      'LowHitRatio firing 19.6 %',
      'SettingOn firing 300 ms',
    ]),
  );
});
