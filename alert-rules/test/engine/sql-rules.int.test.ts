// Raw `sql:` rules on a real chDB store: rows become alert instances, the window arrives as
// {from}/{to}, the query runs read-only and time-bounded without leaving either setting on for the
// rest of the process, and a failing query puts only its own rule in the error state. Also the
// evaluation order: a group's rules one after another in file order, groups side by side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type Store } from 'collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertEngine, type RuleEvaluated } from '../../src/engine.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { insertSeries } from '../support/series.ts';

const t0 = Date.UTC(2026, 3, 1, 8, 0, 0);
const s = 1000;
let dataDir: string;
let store: Store;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'alert-rules-sql-'));
  store = await createStore({ dataDir });
  await insertSeries(
    store.client,
    [
      { series: 'queue.depth{service="svc", queue="orders"}', values: '50x59', kind: 'gauge' },
      { series: 'queue.depth{service="svc", queue="mails"}', values: '2x59', kind: 'gauge' },
    ],
    { start: t0 - 60 * s, stepMs: s },
  );
});

afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const rule = (alert: string, sql: string, extra = '') => `      - alert: ${alert}
        sql: ${JSON.stringify(sql)}
        window: 30s
        op: ">"
        threshold: 10${extra}
`;

function load(text: string) {
  const { rules, errors } = parseRuleFile(text, 'sql.yaml');
  expect(errors).toEqual([]);
  return rules;
}

/** A query that keeps the store busy for a while (a cross join of generated rows), from allowed functions only. */
const busy = (n: number) =>
  `WITH a AS (SELECT arrayJoin(range(${n})) AS x) SELECT count() AS value FROM a AS a1, a AS a2 WHERE cityHash64(a1.x, a2.x) % 7 = 1`;

const queueDepth = `SELECT Attributes['queue'] AS queue, max(Value) AS value FROM otel_metrics_gauge
  WHERE MetricName = 'queue.depth' AND TimeUnix >= {from:DateTime64(3)} AND TimeUnix < {to:DateTime64(3)}
  GROUP BY queue -- one alert per queue`;

describe('sql rules', () => {
  it('fires one alert per row, with the window as parameters, and a broken rule errors alone', async () => {
    const rules = load(`groups:
  - name: g
    interval: 10s
    rules:
${rule('QueueDeep', queueDepth, '\n        labels: { severity: ticket }')}${rule('Broken', 'SELECT count() AS value FROM no_such_table')}${rule('ReadsFiles', "SELECT count() AS value FROM file('/etc/hostname', 'LineAsString')")}${rule('TooSlow', busy(30_000), '\n        timeout: 300ms')}${rule('Window', 'SELECT toUnixTimestamp64Milli({to:DateTime64(3)}) - toUnixTimestamp64Milli({from:DateTime64(3)}) AS value')}`);
    const engine = createAlertEngine({
      client: store.client,
      rules,
      routing: null,
      redisUrl: null,
      log: () => {},
    });
    await engine.evaluateOnce(t0);

    const alerts = engine.alerts();
    const deep = alerts.filter((a) => a.rule === 'QueueDeep').sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
    expect(deep.map((a) => [a.labels, a.state, a.value])).toEqual([
      [{ queue: 'mails', severity: 'ticket', alertname: 'QueueDeep' }, 'inactive', 2],
      [{ queue: 'orders', severity: 'ticket', alertname: 'QueueDeep' }, 'firing', 50],
    ]);
    expect(alerts.find((a) => a.rule === 'Window')).toMatchObject({ state: 'firing', value: 30_000 });

    const evaluations = engine.ruleEvaluations();
    expect(evaluations.QueueDeep?.error).toBeNull();
    expect(evaluations.Broken?.error).toMatch(/no_such_table/);
    expect(evaluations.ReadsFiles?.error).toMatch(/must not read through the table function file\(\)/);
    expect(evaluations.TooSlow?.error).toMatch(/Timeout exceeded|TIMEOUT_EXCEEDED/i);
    for (const name of ['QueueDeep', 'Broken', 'Window']) expect(evaluations[name]?.at).toBe(t0);

    // Neither readonly nor the time limit stayed on for the process's other queries.
    await store.client.insert({
      table: 'cp_silences',
      values: [{ Id: 'after-sql', Matchers: '[]', CreatedBy: 'test', Comment: '' }],
      format: 'JSONEachRow',
    });
    const slow = await store.client.query({
      query: 'SELECT sleepEachRow(0.2) AS x FROM numbers(7)',
      format: 'JSONEachRow',
    });
    expect(await slow.json()).toHaveLength(7);
    await engine.stop();
  });

  it('evaluates a group in file order, one rule after another, and groups side by side', async () => {
    const slow = busy(3_000);
    const rules = load(`groups:
  - name: first
    interval: 10s
    rules:
${rule('FirstSlow', slow)}${rule('FirstNext', 'SELECT 1 AS value')}  - name: second
    interval: 10s
    rules:
${rule('SecondOnly', 'SELECT 1 AS value')}`);
    const seen: RuleEvaluated[] = [];
    const engine = createAlertEngine({
      client: store.client,
      rules,
      routing: null,
      redisUrl: null,
      log: () => {},
      onEvaluated: (e) => seen.push(e),
    });
    await engine.evaluateOnce(t0);
    const of = (name: string) => seen.find((e) => e.rule === name)!;
    // FirstNext starts only once FirstSlow is done; SecondOnly does not wait for the other group.
    expect(of('FirstNext').startedAt).toBeGreaterThanOrEqual(
      of('FirstSlow').startedAt + of('FirstSlow').durationMs - 1,
    );
    expect(of('SecondOnly').startedAt).toBeLessThan(of('FirstSlow').startedAt + of('FirstSlow').durationMs);
    expect(Object.keys(engine.evaluationTimes())).toEqual(['FirstSlow', 'FirstNext', 'SecondOnly']);
    await engine.stop();
  });
});
