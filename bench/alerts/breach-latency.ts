// Breach-to-notification latency: the real target-app (OTel SDK, 1 s export) → collector → chDB
// → alert engine → a real webhook receiver. Each trial switches the target's chaos latency on
// at t0 and records when the firing notification arrives, then switches it off and records the
// resolve. Reference in the same run: when the first slow request is queryable in the store
// (telemetry delay the engine cannot beat), so "engine" = notification − data.
// Run: node bench/alerts/breach-latency.ts [trials=10]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlertEngine, parseRoutingConfig, parseRuleFile } from '../../alert-rules/src/index.ts';
import { createStore, startCollector } from '../../collector/src/index.ts';
import { startTargetApp } from '../../target-app/src/index.ts';

const trials = Number(process.argv[2] ?? 10);
const adminToken = 'bench-alerts-admin-token';
// The bench rule: the shipped p95 rule with for: 0s, a 3 s window, evaluated every second.
const ruleText = `groups:
  - name: bench
    interval: 1s
    rules:
      - alert: BenchHighLatencyP95
        metric: http.server.request.duration
        kind: histogram
        stat: p95
        service: car-suggester
        where: { http.route: { op: "!=", value: /health } }
        window: 3s
        op: ">"
        threshold: 0.2
        labels: { severity: page }
`;
const routing = parseRoutingConfig(
  'route: { receiver: hook, group_interval: 1s }\nreceivers: [{ name: hook, webhook: { url_env: HOOK } }]',
  'bench-routing.yaml',
);

const dir = mkdtempSync(join(tmpdir(), 'bench-alerts-'));
const store = await createStore({ dataDir: join(dir, 'chdb') });
const collector = await startCollector({ store, port: 0, batch: { maxDelayMs: 50 } });
const target = await startTargetApp({
  port: 0,
  carCount: 2000,
  adminToken,
  otlpEndpoint: `http://127.0.0.1:${collector.port}`,
  logLevel: 'warn',
});
const arrivals: { status: string; at: number }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => {
    arrivals.push({ status: (JSON.parse(body) as { status: string }).status, at: Date.now() });
    res.end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const { rules, errors } = parseRuleFile(ruleText, 'bench.yaml');
if (errors.length > 0) throw new Error(JSON.stringify(errors));
const engine = createAlertEngine({
  client: store.client,
  rules,
  routing,
  redisUrl: null,
  env: { HOOK: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` },
  log: (m) => console.warn(`[engine] ${m}`),
});
engine.start();

let running = true;
const traffic = Promise.all(
  [0, 1, 2, 3, 4, 5].map(async (n) => {
    for (let i = 0; running; i++) {
      const path =
        i % 2 === 0 ? `/api/cars?page=${(i % 5) + 1}&pageSize=10` : `/api/cars/${((i * 7 + n) % 2000) + 1}`;
      await fetch(`${target.url}${path}`)
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      await sleep(20);
    }
  }),
);

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
async function chaos(on: boolean) {
  const res = await fetch(`${target.url}/admin/chaos`, {
    method: on ? 'PUT' : 'DELETE',
    headers: { authorization: `Bearer ${adminToken}`, ...(on ? { 'content-type': 'application/json' } : {}) },
    ...(on ? { body: JSON.stringify({ latencyMs: 300 }) } : {}),
  });
  if (res.status !== 200) throw new Error(`chaos ${on ? 'on' : 'off'}: HTTP ${res.status}`);
}
/** When a slow observation recorded after t0 is first visible in the store. */
async function slowDataVisible(t0: number): Promise<boolean> {
  const result = await store.client.query({
    query: `SELECT count() AS n FROM otel_metrics_histogram WHERE MetricName = 'http.server.request.duration'
      AND TimeUnix >= fromUnixTimestamp64Milli({t0:Int64}) AND Max > 0.25`,
    query_params: { t0 },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string }>();
  return Number(row?.n) > 0;
}

const alert = () => engine.alerts()[0];
await until(() => alert()?.state === 'inactive' && alert()?.value !== null, 60_000, 'healthy baseline');

interface Trial {
  dataMs: number;
  firingMs: number;
  resolveMs: number;
}
const results: Trial[] = [];
for (let i = 0; i < trials; i++) {
  await until(() => alert()?.state === 'inactive' && (alert()?.value ?? 1) < 0.2, 60_000, 'healthy');
  const fired = arrivals.filter((a) => a.status === 'firing').length;
  const resolved = arrivals.filter((a) => a.status === 'resolved').length;
  await chaos(true);
  const t0 = Date.now();
  let dataAt = 0;
  await until(
    async () => {
      if (!dataAt && (await slowDataVisible(t0))) dataAt = Date.now();
      return arrivals.filter((a) => a.status === 'firing').length > fired;
    },
    60_000,
    'firing notification',
  );
  const firingAt = arrivals.filter((a) => a.status === 'firing').at(-1)!.at;
  if (!dataAt) dataAt = firingAt;
  await chaos(false);
  const t1 = Date.now();
  await until(() => arrivals.filter((a) => a.status === 'resolved').length > resolved, 60_000, 'resolve');
  const resolvedAt = arrivals.filter((a) => a.status === 'resolved').at(-1)!.at;
  const trial = { dataMs: dataAt - t0, firingMs: firingAt - t0, resolveMs: resolvedAt - t1 };
  results.push(trial);
  console.log(
    `trial ${i + 1}: data ${trial.dataMs} ms, firing ${trial.firingMs} ms, resolve ${trial.resolveMs} ms`,
  );
}

running = false;
await traffic;
await engine.stop();
await target.close();
await collector.close();
await store.close();
receiver.close();
rmSync(dir, { recursive: true, force: true });

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const row = (name: string, xs: number[]) => ({
  name,
  p50: pct(xs, 0.5),
  p95: pct(xs, 0.95),
  max: Math.max(...xs),
});
const table = [
  row(
    'chaos on → slow data in store (reference)',
    results.map((r) => r.dataMs),
  ),
  row(
    'chaos on → firing webhook',
    results.map((r) => r.firingMs),
  ),
  row(
    'engine share (firing − data)',
    results.map((r) => r.firingMs - r.dataMs),
  ),
  row(
    'chaos off → resolved webhook',
    results.map((r) => r.resolveMs),
  ),
];
console.log(`\nbreach-to-notification latency, ${trials} trials (ms)`);
console.log(`${'measure'.padEnd(44)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}`);
for (const r of table)
  console.log(
    `${r.name.padEnd(44)}${String(r.p50).padStart(8)}${String(r.p95).padStart(8)}${String(r.max).padStart(8)}`,
  );
const firingP95 = table[1]!.p95;
console.log(`target p95 ≤ 5000 ms to firing: ${firingP95 <= 5000 ? 'met' : 'NOT met'} (${firingP95} ms)`);
const outDir = join(import.meta.dirname, '..', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `alerts-breach-latency-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      bench: 'alerts-breach-latency',
      trials: results,
      table,
      rule: ruleText,
      routing,
      at: new Date().toISOString(),
    },
    null,
    2,
  ),
);
console.log(`wrote ${file}`);
process.exit(0);
