// Breach → page, side by side with Prometheus + Alertmanager: one real target-app (OTel SDK
// exporting every 1 s to our collector → chDB → the alert engine on its fast path, as in
// `npm start`; prom-client /metrics scraped by Prometheus), the same open-loop traffic (~17 req/s
// of cached searches on /api/cars), the same chaos (+400 ms on /api/cars through the target's
// admin API) and one webhook receiver. Systems: our fast rule (vs-prometheus/fast-rule.yaml), our
// shipped TargetHighLatencyP95 with the shipped routing, Prometheus + Alertmanager tuned and with
// defaults (configs and equivalent rules in vs-prometheus/). Reference in the same run: tuned
// Prometheus (the ratio ours / theirs). Phase 1 runs --trials trials for the fast systems; phase 2
// --default-trials for the defaults (each takes ~6 min: a 1 m window, group_wait 30 s and a
// group_interval of 5 m before the resolve). For our fast rule it also records where each page's
// time went (firing-timeline.ts).
// Run by hand: node bench/alerts/vs-prometheus.ts [--trials 10] [--default-trials 2]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createAlertEngine,
  loadRoutingConfig,
  loadRules,
  parseRuleFile,
  shippedRoutingFile,
} from '../../alert-rules/src/index.ts';
import { createStore, startCollector } from '../../collector/src/index.ts';
import { startTargetApp } from '../../target-app/src/index.ts';
import { createFiringTimeline, type FiringTimeline, printTimelines } from './firing-timeline.ts';
import {
  type Arrival,
  outcomeOf,
  type SystemOutcome,
  startWebhookReceiver,
  type TrialSpan,
} from './notification-log.ts';
import {
  ensurePrometheusInstalled,
  type PrometheusPair,
  startPrometheusPair,
  versionOf,
} from './prometheus-peer.ts';
import { printRatios, printSystemTable, ratiosAtP95, systemRows } from './vs-prometheus-report.ts';

const { values: args } = parseArgs({
  options: { trials: { type: 'string', default: '10' }, 'default-trials': { type: 'string', default: '2' } },
});
const count = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw new Error(`--${name} must be a whole number 0…1000, got "${text}"`);
  return n;
};
const trials = count('trials', args.trials);
const defaultTrials = count('default-trials', args['default-trials']);

const adminToken = 'bench-vs-prometheus-admin';
const shippedRule = 'TargetHighLatencyP95';
/** Our rules by alert name → the system each stands for. */
const ourSystems: Record<string, string> = {
  BenchHighLatencyP95: 'ours-fast',
  BenchHighLatencyP95Span4s: 'ours-fast-4s',
  [shippedRule]: 'ours-shipped',
};
const bins = ensurePrometheusInstalled();
const dir = mkdtempSync(join(tmpdir(), 'bench-vs-prometheus-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// One receiver; the path says which system sent it, the alert name which of our rules.
const {
  arrivals,
  url: hook,
  close: closeReceiver,
} = await startWebhookReceiver((path, alertname) =>
  path === '/ours' ? (ourSystems[alertname] ?? 'ours-?') : path.slice(1),
);

const store = await createStore({ dataDir: join(dir, 'chdb') });
// As `npm start` on the embedded store: light traffic coalesced in the queue (COLLECTOR_COALESCE_MS).
const collector = await startCollector({
  store,
  port: 0,
  queueDir: join(dir, 'queue'),
  batch: { coalesceMs: 5_000 },
});
const target = await startTargetApp({
  port: 0,
  carCount: 2000,
  adminToken,
  otlpEndpoint: collector.url,
  logLevel: 'warn',
});
const fast = parseRuleFile(
  readFileSync(join(import.meta.dirname, 'vs-prometheus', 'fast-rule.yaml'), 'utf8'),
  'fast-rule.yaml',
);
const shipped = loadRules(join(import.meta.dirname, '..', '..', 'alert-rules', 'rules'));
const shippedLatency = shipped.rules.find((r) => r.alert === shippedRule);
if (fast.errors.length > 0 || !shippedLatency) throw new Error(`rules: ${JSON.stringify(fast.errors)}`);
// Where the fast rule's page spends its time (firing-timeline.ts): its rows as the collector accepts them.
const timeline = createFiringTimeline({
  metric: 'http.server.request.duration',
  service: 'car-suggester',
  rule: 'BenchHighLatencyP95',
  isRead: (a) => a['http.route'] !== '/health' && a['traffic.source'] !== 'internal',
});
collector.onAcceptedMetrics((batch) => timeline.onAccepted(batch));
const engine = createAlertEngine({
  client: store.client,
  rules: [...fast.rules, shippedLatency],
  routing: loadRoutingConfig(shippedRoutingFile),
  env: { ALERT_WEBHOOK_URL: `${hook}/ours` },
  redisUrl: null,
  acceptedMetrics: (listener) => collector.onAcceptedMetrics(listener),
  fastPath: { reseedAfterMs: 10_000 },
  onEvaluated: (e) => timeline.onEvaluated(e),
  log: (m) => {
    if (!/switched off/.test(m)) console.warn(`[engine] ${m}`);
  },
});
engine.start();
// Ctrl-C: the Prometheus and Alertmanager processes and the target's database go too.
const peerList: PrometheusPair[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.allSettled([...peerList.map((p) => p.stop()), target.close()]).then(() => process.exit(130));
  });
const targetHost = new URL(target.url).host;
const peers: Record<'tuned' | 'default', PrometheusPair> = {
  tuned: await startPrometheusPair({
    name: 'tuned',
    dir,
    target: targetHost,
    webhookUrl: `${hook}/prom-tuned`,
    bins,
  }),
  default: await startPrometheusPair({
    name: 'default',
    dir,
    target: targetHost,
    webhookUrl: `${hook}/prom-default`,
    bins,
  }),
};
peerList.push(peers.tuned, peers.default);

// Open-loop traffic: a request every 60 ms whatever the latency (slow answers overlap, as users do).
const traffic = setInterval(() => {
  const page = Math.floor(Math.random() * 5) + 1;
  const startedAt = Date.now();
  fetch(`${target.url}/api/cars?page=${page}&pageSize=10`)
    .then((r) => r.arrayBuffer())
    .then(() => timeline.onAnswered(startedAt, Date.now()))
    .catch(() => undefined);
}, 60);
const loads: number[] = [];
const loadSampler = setInterval(() => loads.push(loadavg()[0]!), 5_000);

async function chaos(on: boolean) {
  const res = await fetch(`${target.url}/admin/chaos`, {
    method: on ? 'PUT' : 'DELETE',
    headers: { authorization: `Bearer ${adminToken}`, ...(on ? { 'content-type': 'application/json' } : {}) },
    ...(on ? { body: JSON.stringify({ latencyMs: 400, routes: ['/api/cars'] }) } : {}),
  });
  if (res.status !== 200)
    throw new Error(`chaos ${on ? 'on' : 'off'}: HTTP ${res.status} ${await res.text()}`);
}
const outstanding = (system: string) =>
  arrivals.filter((a) => a.system === system && a.status === 'firing').length -
  arrivals.filter((a) => a.system === system && a.status === 'resolved').length;
async function idle(system: string): Promise<boolean> {
  if (outstanding(system) > 0) return false;
  if (system === 'prom-tuned') return (await peers.tuned.activeAlerts()) === 0;
  if (system === 'prom-default') return (await peers.default.activeAlerts()) === 0;
  const rule = Object.entries(ourSystems).find(([, s]) => s === system)?.[0];
  return engine.alerts().every((a) => a.rule !== rule || a.state === 'inactive');
}
async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
const firedSince = (system: string, t: number, status: Arrival['status']) =>
  arrivals.some((a) => a.system === system && a.status === status && a.at >= t);

/**
 * `jitterMs`: a random wait before each breach and before its end, one scrape / export interval
 * long, so that the breach starts and ends at a random phase of every system's cycle (each trial
 * otherwise begins a fixed time after the previous resolve, and ends a fixed time after the last
 * firing, which those cycles themselves timed).
 */
async function runPhase(
  systems: string[],
  n: number,
  jitterMs: number,
  fireWaitMs: number,
  resolveWaitMs: number,
) {
  const spans: TrialSpan[] = [];
  const timelines: FiringTimeline[] = [];
  for (let i = 0; i < n; i++) {
    const calm = await until(
      async () => (await Promise.all(systems.map(idle))).every(Boolean),
      resolveWaitMs,
    );
    if (!calm) console.warn('  (a system was still not idle; starting anyway)');
    await sleep(5_000 + Math.random() * jitterMs);
    await chaos(true);
    const t0 = Date.now();
    await until(() => systems.every((s) => firedSince(s, t0, 'firing')), fireWaitMs);
    // The same before the breach ends: the last system to fire (ours-shipped, on arriving data)
    // would otherwise time chaos off one export interval after an export, every trial.
    await sleep(1_000 + Math.random() * jitterMs);
    await chaos(false);
    const t1 = Date.now();
    await until(
      () => systems.every((s) => !firedSince(s, t0, 'firing') || firedSince(s, t1, 'resolved')),
      resolveWaitMs,
    );
    await sleep(500); // a duplicate right behind the resolve still counts
    spans.push({ t0, t1, end: Date.now() });
    const own = (s: string, status: Arrival['status'], from: number) =>
      arrivals.find((a) => a.system === s && a.status === status && a.at >= from);
    if (systems.includes('ours-fast')) {
      timelines.push(timeline.of(t0, own('ours-fast', 'firing', t0)?.at ?? null));
      console.log(`  ours-fast: ${JSON.stringify(timelines.at(-1))}`);
    }
    console.log(
      `trial ${i + 1}/${n}: ${systems
        .map(
          (s) =>
            `${s} ${own(s, 'firing', t0) ? own(s, 'firing', t0)!.at - t0 : '—'}/${own(s, 'resolved', t1) ? own(s, 'resolved', t1)!.at - t1 : '—'} ms`,
        )
        .join(', ')}`,
    );
  }
  return { spans, timelines };
}

// Warm-up: every system has seen healthy data (the default Prometheus needs a 1 m window).
console.log(`${versionOf(bins.prometheus)}; ${versionOf(bins.alertmanager)}; warming up 75 s…`);
await sleep(75_000);
const phase1 = ['ours-fast', 'ours-fast-4s', 'ours-shipped', 'prom-tuned'];
const start1 = Date.now();
const { spans: spans1, timelines } = await runPhase(phase1, trials, 1_000, 90_000, 120_000);
const start2 = Date.now();
const { spans: spans2 } = await runPhase(['prom-default'], defaultTrials, 15_000, 180_000, 420_000);
const end = Date.now();
clearInterval(traffic);
clearInterval(loadSampler);

const within = (from: number, to: number) => arrivals.filter((a) => a.at >= from && a.at <= to);
const outcomes: SystemOutcome[] = [
  ...phase1.map((s) => outcomeOf(s, within(start1, start2), spans1)),
  outcomeOf('prom-default', within(start2, end), spans2),
];
await engine.stop();
await Promise.all(Object.values(peers).map((p) => p.stop()));
await target.close();
await collector.close();
await store.close();
await closeReceiver();
rmSync(dir, { recursive: true, force: true });

const labels: Record<string, string> = {
  'ours-fast': 'ours, fast rule (5 s window, for 0s, fast path)',
  'ours-fast-4s': 'ours, fast rule over 4 s (the span [5s] covers at 1 s)',
  'ours-shipped': `ours, shipped ${shippedRule} (${shippedLatency.windowMs / 1000} s window, for ${shippedLatency.forMs / 1000}s)`,
  'prom-tuned': 'Prometheus + Alertmanager tuned (1 s, [5s], for 0s)',
  'prom-default': 'Prometheus + Alertmanager defaults (15 s, [1m], for 10s)',
};
const rows = systemRows(outcomes, labels);
printSystemTable(rows);
const ratios = ratiosAtP95(rows, 'prom-tuned', ['ours-fast', 'ours-fast-4s']);
printTimelines(timelines);
const load = { mean: loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length), max: Math.max(...loads) };
printRatios(ratios, 'tuned Prometheus');
console.log(
  `load average (1 min) during the run: mean ${load.mean.toFixed(2)}, max ${load.max.toFixed(2)} (2 cores)`,
);
const outDir = join(import.meta.dirname, '..', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `alerts-vs-prometheus-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      bench: 'alerts-vs-prometheus',
      at: new Date().toISOString(),
      versions: {
        prometheus: versionOf(bins.prometheus),
        alertmanager: versionOf(bins.alertmanager),
        node: process.version,
      },
      trials,
      defaultTrials,
      rows,
      reference: 'prom-tuned',
      ratios,
      load,
      spans: { phase1: spans1, phase2: spans2 },
      timelines,
      arrivals,
    },
    null,
    2,
  ),
);
console.log(`wrote ${file}`);
process.exit(0);
