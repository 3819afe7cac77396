// The alerts API on a real alert engine and chDB store: the live snapshot (instances, rules with
// evaluation time, silences, timeline), and the qa actions — silence, expire, acknowledge, un-ack —
// validated, refused to viewers, and written to the audit log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AlertEngine, createAlertEngine, insertSeries, parseRuleFile } from 'alert-rules';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditLog, createAuditLog } from '../../src/server/audit.ts';
import { createCaller } from '../../src/server/routers/_app.ts';
import { readAlerts } from '../../src/server/routers/alerts.ts';
import type { Services } from '../../src/server/services.ts';

let dir: string;
let store: Store;
let engine: AlertEngine;
let audit: AuditLog;
let services: Services;

const caller = (role: 'viewer' | 'qa') =>
  createCaller({ services, headers: new Headers(), user: { name: role === 'qa' ? 'quinn' : 'vic', role } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-alerts-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  const { rules, errors } = parseRuleFile(
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
        annotations: { summary: "level is {{ $value }}" }
      - alert: BrokenSql
        sql: SELECT count() AS value FROM no_such_table
        window: 30s
        op: ">"
        threshold: 0
`,
    'api.yaml',
  );
  expect(errors).toEqual([]);
  engine = createAlertEngine({ client: store.client, rules, routing: null, redisUrl: null, log: () => {} });
  audit = createAuditLog(store.client, () => {});
  services = { alerts: engine, audit, store } as unknown as Services;
  await insertSeries(store.client, [{ series: 'test.level{service="svc"}', values: '5x19', kind: 'gauge' }], {
    start: Date.now() - 20_000,
    stepMs: 1000,
  });
  await engine.evaluateOnce();
});

afterAll(async () => {
  await engine?.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('alerts API', () => {
  it('shows firing instances, rules with evaluation time and errors, and the timeline', async () => {
    const snapshot = await readAlerts(services, Date.now());
    expect(snapshot.error).toBeNull();
    expect(snapshot.active).toEqual([
      expect.objectContaining({
        rule: 'LevelHigh',
        state: 'firing',
        value: '5',
        summary: 'level is 5',
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        silencedBy: [],
        acknowledged: null,
      }),
    ]);
    const [level, broken] = snapshot.rules;
    expect(level).toMatchObject({
      name: 'LevelHigh',
      state: 'firing',
      condition: 'last(test.level) over 30s > 1',
    });
    expect(level?.evalDurationMs).toBeGreaterThan(0);
    expect(broken).toMatchObject({ name: 'BrokenSql', state: 'error', condition: 'sql over 30s > 0' });
    expect(broken?.lastError).toMatch(/no_such_table/);
    expect(snapshot.timeline.at(-1)).toMatchObject({ firing: 1, pending: 0 });
  });

  it('lets qa silence an alert and expire the silence; viewers may not', async () => {
    const fingerprint = engine.alerts().find((a) => a.rule === 'LevelHigh')!.fingerprint;
    const matchers = [{ name: 'alertname', op: '=' as const, value: 'LevelHigh' }];
    const endsAt = Date.now() + 3_600_000;
    await expect(caller('viewer').alerts.silence({ matchers, endsAt, comment: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      caller('qa').alerts.silence({
        matchers: [{ name: 'alertname', op: '=~', value: '(' }],
        endsAt,
        comment: 'x',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/regular expression/) });
    await expect(caller('qa').alerts.silence({ matchers: [], endsAt, comment: 'x' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await engine.silences()).toEqual([]);

    const silence = await caller('qa').alerts.silence({ matchers, endsAt, comment: 'deploying' });
    expect(silence).toMatchObject({ state: 'active', createdBy: 'quinn', comment: 'deploying' });
    await engine.evaluateOnce();
    let snapshot = await readAlerts(services, Date.now());
    expect(snapshot.silences).toEqual([
      expect.objectContaining({ id: silence.id, state: 'active', matchers }),
    ]);
    expect(snapshot.active.find((a) => a.fingerprint === fingerprint)?.silencedBy).toEqual([silence.id]);

    await caller('qa').alerts.expireSilence({ id: silence.id });
    await engine.evaluateOnce();
    snapshot = await readAlerts(services, Date.now());
    expect(snapshot.silences).toEqual([expect.objectContaining({ id: silence.id, state: 'expired' })]);
    expect(snapshot.active.find((a) => a.fingerprint === fingerprint)?.silencedBy).toEqual([]);

    const entries = await audit.list({ fromMs: 0, toMs: Date.now() + 1000, limit: 10 });
    expect(entries.map((e) => [e.action, e.actor, e.target])).toEqual(
      expect.arrayContaining([
        ['alert.silence', 'quinn', silence.id],
        ['alert.unsilence', 'quinn', silence.id],
      ]),
    );
  });

  it('lets qa acknowledge a firing alert and take it back', async () => {
    const fingerprint = engine.alerts().find((a) => a.rule === 'LevelHigh')!.fingerprint;
    await expect(caller('viewer').alerts.acknowledge({ fingerprint })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(caller('qa').alerts.acknowledge({ fingerprint: '0000000000000000' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/no firing alert/),
    });
    await caller('qa').alerts.acknowledge({ fingerprint, comment: 'looking' });
    let snapshot = await readAlerts(services, Date.now());
    expect(snapshot.active[0]?.acknowledged).toMatchObject({ by: 'quinn', comment: 'looking' });
    await caller('qa').alerts.unacknowledge({ fingerprint });
    snapshot = await readAlerts(services, Date.now());
    expect(snapshot.active[0]?.acknowledged).toBeNull();
    await expect(caller('qa').alerts.unacknowledge({ fingerprint })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});
