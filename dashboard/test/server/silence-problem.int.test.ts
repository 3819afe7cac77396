// A silence stored before patterns were checked with RE2 (here, a lookahead JavaScript accepted)
// shows on the alerts page as not applied, with the reason, and mutes nothing; the engine and the
// page load it without failing. Real engine and chDB store.
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
const logged: string[] = [];
const ID = '00000000-0000-4000-8000-0000000000aa';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-silence-problem-'));
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
`,
    'api.yaml',
  );
  expect(errors).toEqual([]);
  engine = createAlertEngine({
    client: store.client,
    rules,
    routing: null,
    redisUrl: null,
    log: (m) => logged.push(m),
  });
  await insertSeries(store.client, [{ series: 'test.level{service="svc"}', values: '5x19', kind: 'gauge' }], {
    start: Date.now() - 20_000,
    stepMs: 1000,
  });
  // As an older version wrote it: `!~` with a lookahead matched (and so silenced) every alert.
  await store.client.insert({
    table: 'cp_silences',
    values: [
      {
        Id: ID,
        Matchers: JSON.stringify([{ name: 'alertname', op: '!~', value: '(?=Nope)' }]),
        StartsAt: Date.now() - 60_000,
        EndsAt: Date.now() + 3_600_000,
        CreatedBy: 'quinn',
        Comment: 'before RE2',
        UpdatedAt: Date.now() - 60_000,
      },
    ],
    format: 'JSONEachRow',
  });
});

afterAll(async () => {
  await engine?.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('lists the silence as not applied, with the reason, and mutes nothing', async () => {
  await engine.evaluateOnce();
  const snapshot = await readAlerts({ alerts: engine, store } as unknown as Services, Date.now());
  expect(snapshot.error).toBeNull();
  expect(snapshot.silences).toEqual([
    expect.objectContaining({
      id: ID,
      state: 'active',
      problem: expect.stringMatching(
        /^matcher alertname!~"\(\?=Nope\)" is refused \(not an RE2 .*matches nothing$/,
      ),
    }),
  ]);
  expect(snapshot.active.find((a) => a.rule === 'LevelHigh')).toMatchObject({
    state: 'firing',
    silencedBy: [],
  });
  expect(logged.filter((m) => m.includes(ID))).toHaveLength(1);
});
