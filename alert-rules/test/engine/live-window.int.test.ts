// A rule's window held in memory answers as the store does: rows sent through a real collector
// into chDB, the same rules evaluated both ways at several instants (window edges included), and a
// window seeded from the store (a restart) equal to one filled from the collector's batches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectorServer, createStore, type Store, startCollector } from 'collector';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toFloat64OrNull } from '../../src/engine/live-filter.ts';
import { createLiveWindow, type LiveWindow } from '../../src/engine/live-window.ts';
import { evaluateRuleGroups, type GroupedRuleValue } from '../../src/evaluate.ts';
import { parseRuleFile } from '../../src/load-rules.ts';
import { queryWindowRows } from '../../src/query/window-rows.ts';
import type { StatRule } from '../../src/rule-schema.ts';
import { type HistogramPoint, metricsBody, postMetrics, type ValuePoint } from '../support/otlp-metrics.ts';

let dir: string;
let store: Store;
let collector: CollectorServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alert-rules-live-window-'));
  store = await createStore({ dataDir: join(dir, 'chdb') });
  collector = await startCollector({
    store,
    port: 0,
    queueDir: join(dir, 'queue'),
    batch: { maxDelayMs: 10 },
  });
});

afterAll(async () => {
  await collector?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rule = (name: string, body: string) => `      - alert: ${name}
        service: live-shop
        window: 4s
        op: '>'
        threshold: 1
${body
  .trim()
  .split('\n')
  .map((l) => `        ${l}`)
  .join('\n')}
`;
const histogram = 'metric: http.server.request.duration\nkind: histogram';
const where = `where: { http.route: { op: '!=', value: /health }, http.response.status_code: { op: '>=', value: 200 } }`;
const parsed = parseRuleFile(
  `groups:
  - name: live
    interval: 1s
    rules:
${[
  rule('P95', `${histogram}\nstat: p95\n${where}`),
  rule('P99ByRoute', `${histogram}\nstat: p99\nby: [http.route]\n${where}`),
  rule(
    'ErrorRatio',
    `${histogram}\nstat: ratio\nnumerator: { http.response.status_code: { op: '>=', value: 500 } }`,
  ),
  rule('Avg', `${histogram}\nstat: avg\nby: [service, http.route]`),
  rule('Rate', `${histogram}\nstat: rate`),
  rule('Max', `${histogram}\nstat: max`),
  rule('Count', `${histogram}\nstat: count\nwhere: { http.route: /none }`),
  rule('SumRate', 'metric: cache.lookups\nkind: sum\nstat: rate\nby: [cache.level]'),
  rule('HitRatio', 'metric: cache.lookups\nkind: sum\nstat: ratio\nnumerator: { cache.result: hit }'),
  rule('GaugeLast', 'metric: pool.in_use\nkind: gauge\nstat: last'),
  rule('GaugeAvg', 'metric: pool.in_use\nkind: gauge\nstat: avg\nby: [pool]'),
  rule('GaugeMin', 'metric: pool.in_use\nkind: gauge\nstat: min'),
].join('')}`,
  'inline.yaml',
);
const rules = parsed.rules as StatRule[];

const routes = ['/api/cars', '/api/cars/:id', '/health'];
const statuses = ['200', '200', '200', '404', '500', '503'];

/** 40 points of each metric, 250 ms apart, ending just before `end`. */
function data(end: number) {
  const histograms: HistogramPoint[] = [];
  const sums: ValuePoint[] = [];
  const gauges: ValuePoint[] = [];
  for (let k = 0; k < 40; k++) {
    const at = end - 10_000 + k * 250 + (k % 7); // not on whole seconds: window edges fall between points
    histograms.push({
      at,
      latency: [0.004, 0.02, 0.09, 0.3, 0.6, 1.2][(k * 5) % 6]!,
      n: 1 + ((k * 3) % 7),
      attributes: { 'http.route': routes[k % 3]!, 'http.response.status_code': statuses[(k * 5) % 6]! },
    });
    sums.push({
      at,
      value: (k * 13) % 9,
      attributes: { 'cache.level': k % 2 ? 'l1' : 'l2', 'cache.result': k % 3 ? 'hit' : 'miss' },
    });
    gauges.push({ at, value: (k * 7) % 11, attributes: { pool: k % 2 ? 'pg' : 'redis' } });
  }
  return metricsBody('live-shop', {
    histograms: { 'http.server.request.duration': histograms },
    sums: { 'cache.lookups': sums },
    gauges: { 'pool.in_use': gauges },
  });
}

const sorted = (groups: GroupedRuleValue[]) =>
  [...groups].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));

it('gives the store path’s values for the same rows, also when seeded from the store', async () => {
  expect(parsed.errors).toEqual([]);
  const fromBatches = new Map<string, LiveWindow>(rules.map((r) => [r.alert, createLiveWindow(r)]));
  const unsubscribe = collector.onAcceptedMetrics((batch) => {
    for (const window of fromBatches.values()) window.add(batch);
  });
  const end = Date.now();
  await postMetrics(collector.url, data(end));
  unsubscribe();

  const seeded = new Map<string, LiveWindow>();
  for (const r of rules) {
    const window = createLiveWindow(r);
    window.addRows(await queryWindowRows(store.client, r, { from: end - 20_000, to: end + 1 }));
    seeded.set(r.alert, window);
  }

  let compared = 0;
  // Instants from mid-series to past its end, in order (a window only moves forward); at end - 3999
  // a point sits exactly on the window's start (in) and another on its end (out).
  for (const now of [end - 5_003, end - 3_999, end - 3_500, end - 1_250, end - 999, end, end + 3_000]) {
    for (const r of rules) {
      const stored = sorted(await evaluateRuleGroups(store.client, r, now));
      for (const window of [fromBatches.get(r.alert)!, seeded.get(r.alert)!]) {
        const live = sorted(window.values(now));
        expect(
          live.map((g) => g.labels),
          `${r.alert} at end${now - end}`,
        ).toEqual(stored.map((g) => g.labels));
        live.forEach((g, i) => {
          const want = stored[i]!.value;
          if (want === null) expect(g.value, `${r.alert} at end${now - end}`).toBeNull();
          else expect(g.value, `${r.alert} at end${now - end}`).toBeCloseTo(want, 9);
        });
        compared += live.filter((g) => g.value !== null).length;
      }
    }
  }
  expect(compared).toBeGreaterThan(100); // the comparisons were about values, not empty windows
  // Rows held both from a batch and from the store count once.
  const window = fromBatches.get('P95')!;
  const before = window.values(end + 3_000);
  window.addRows(await queryWindowRows(store.client, rules[0]!, { from: end - 20_000, to: end + 1 }));
  expect(window.values(end + 3_000)).toEqual(before);
});

it('reads attribute text as numbers exactly as ClickHouse’s toFloat64OrNull does', async () => {
  const texts = [
    '200',
    '-1.5',
    '+3',
    '2e2',
    '1E-3',
    '.5',
    '5.',
    ' 7',
    '7 ',
    '0x10',
    '1_000',
    '1,5',
    '',
    'abc',
  ];
  texts.push('inf', '-inf', 'Infinity', 'nan', 'NaN', '-nan', '1e400', '00012', '1.2.3', '--1', 'e5');
  const result = await store.client.query({
    query: 'SELECT t, toString(toFloat64OrNull(t)) AS n FROM (SELECT arrayJoin({texts:Array(String)}) AS t)',
    query_params: { texts },
    format: 'JSONEachRow',
  });
  const theirs = Object.fromEntries(
    (await result.json<{ t: string; n: string | null }>()).map((r) => [r.t, r.n]),
  );
  const text = (n: number | null) =>
    n === null
      ? null
      : Number.isNaN(n)
        ? 'nan'
        : n === Infinity
          ? 'inf'
          : n === -Infinity
            ? '-inf'
            : String(n);
  expect(Object.fromEntries(texts.map((t) => [t, text(toFloat64OrNull(t))]))).toEqual(theirs);
});
