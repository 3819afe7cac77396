// Evaluation cost per rule at 100 rules: one engine, 100 rules (quantiles, averages, ratios,
// counts; 10 of them grouped `by` route) over 10 routes × 2 minutes of 1 s histogram points on
// embedded chDB. Reference in the same run: a trivial query's round trip (`SELECT 1`), the floor
// every rule pays, so the ratio says what the rule's own work costs. Run: node bench/alerts/eval-cost.ts
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlertEngine, insertSeries, parseRuleFile } from '../../alert-rules/src/index.ts';
import { createStore } from '../../collector/src/index.ts';

const rounds = 20;
const routes = Array.from({ length: 10 }, (_, i) => `/api/r${i}`);
const dir = mkdtempSync(join(tmpdir(), 'bench-alert-cost-'));
const store = await createStore({ dataDir: dir });
const now = Date.UTC(2026, 0, 1, 12);
await insertSeries(
  store.client,
  routes.flatMap((route, i) => [
    {
      series: `http.server.request.duration{service="car-suggester", http.route="${route}", http.response.status_code="200"}`,
      values: `${0.01 * (i + 1)}x119`,
      countPerStep: 50,
    },
    {
      series: `http.server.request.duration{service="car-suggester", http.route="${route}", http.response.status_code="500"}`,
      values: '0.005x119',
      countPerStep: 1,
    },
  ]),
  { start: now - 120_000, stepMs: 1000 },
);

const stats = ['p95', 'p99', 'avg', 'ratio', 'count'] as const;
const rulesYaml = Array.from({ length: 100 }, (_, n) => {
  const stat = stats[n % stats.length]!;
  const route = routes[n % routes.length]!;
  return `      - alert: Rule${n}
        metric: http.server.request.duration
        kind: histogram
        stat: ${stat}
        service: car-suggester
${n % 10 === 0 ? '        by: [http.route]\n' : `        where: { http.route: "${route}" }\n`}${stat === 'ratio' ? '        numerator: { http.response.status_code: { op: ">=", value: 500 } }\n' : ''}        window: ${n % 2 === 0 ? '10s' : '1m'}
        op: ">"
        threshold: 0.2`;
}).join('\n');
const { rules, errors } = parseRuleFile(
  `groups:\n  - name: bench\n    interval: 10s\n    rules:\n${rulesYaml}\n`,
  'bench.yaml',
);
if (errors.length > 0) throw new Error(JSON.stringify(errors.slice(0, 3)));
const engine = createAlertEngine({
  client: store.client,
  rules,
  routing: null,
  redisUrl: null,
  log: () => {},
});

const sample = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};
await engine.evaluateOnce(now); // warm-up
const perRule: number[] = [];
const rounds_ms: number[] = [];
for (let i = 0; i < rounds; i++) {
  rounds_ms.push(await sample(() => engine.evaluateOnce(now + i * 1000)));
  for (const ms of Object.values(engine.evaluationTimes())) if (ms !== null) perRule.push(ms);
}
const reference: number[] = [];
for (let i = 0; i < 200; i++)
  reference.push(
    await sample(async () => (await store.client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json()),
  );
await engine.stop();
await store.close();
rmSync(dir, { recursive: true, force: true });

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
const round = (x: number) => Math.round(x * 100) / 100;
const table = [
  { name: 'reference: SELECT 1 round trip', p50: pct(reference, 0.5), p95: pct(reference, 0.95) },
  { name: 'one rule evaluation (of 100)', p50: pct(perRule, 0.5), p95: pct(perRule, 0.95) },
  { name: 'all 100 rules, one round', p50: pct(rounds_ms, 0.5), p95: pct(rounds_ms, 0.95) },
].map((r) => ({ ...r, p50: round(r.p50), p95: round(r.p95) }));
console.log('alert evaluation cost (ms)');
console.log(`${'measure'.padEnd(36)}${'p50'.padStart(9)}${'p95'.padStart(9)}`);
for (const r of table)
  console.log(`${r.name.padEnd(36)}${String(r.p50).padStart(9)}${String(r.p95).padStart(9)}`);
const ratio = round(table[1]!.p50 / table[0]!.p50);
console.log(`rule / reference (p50): ${ratio}×`);
const outDir = join(import.meta.dirname, '..', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `alerts-eval-cost-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ bench: 'alerts-eval-cost', rules: 100, rounds, table, ratio }, null, 2));
console.log(`wrote ${file}`);
