// What watching a quiet target costs (issue 20), and whether a fresh start alarms about itself
// (issue 16's check). Starts the product as `npm start` does (scripts/start.sh, fresh DATA_DIR, free
// ports, alert notifications to a webhook receiver in this process), then
//   1. traffic: a smoke-scale load run (real k6, the load scenario at a tiny scale, OTLP to the
//      collector as the launcher sends it) besides the target's own exports and the scrapes;
//   2. quiet: nothing but the target's exports, the collector's scrapes, self-telemetry, page check.
// Every 5 s it samples the dashboard process per thread (name → CPU from /proc/<pid>/task), its RSS,
// the target's and the embedded database's RSS, and the embedded store's part directories (count,
// active and outdated alike, and merges: new parts spanning more than one insert's block). As the
// reference in the same windows, Debian's Prometheus scrapes the same target /metrics at the same
// interval (5 s); its CPU and RSS are reported beside.
// The store's statements per minute by kind (inserts per table, queries by table) are counted inside
// the dashboard process (statement-census.ts, preloaded). At the end: every alert notification
// received, and the collector's refused/rejected counters.
// Prints tables, writes bench/results/idle-<time>.json.
// Run: node bench/idle/run.ts [--traffic-min 10] [--quiet-min 10] [--scenario load|smoke]
//   (--scenario smoke: a 2-VU smoke run instead of the load scenario at a 0.002 scale — issue 16's
//   "fresh start, smoke run, idle: no alert fires, nothing rejected").
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../load-tests/src/free-port.ts';
import { buildK6Command, resolveK6Path, scenarioScript, scenarios } from '../../load-tests/src/index.ts';
import {
  childrenOf,
  commandOf,
  isMerged,
  parts,
  processCpu,
  read,
  rssMb,
  threadCpu,
} from './proc-sampler.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const TRAFFIC_MIN = Number(arg('traffic-min', '10'));
const QUIET_MIN = Number(arg('quiet-min', '10'));
for (const [name, v] of [
  ['traffic-min', TRAFFIC_MIN],
  ['quiet-min', QUIET_MIN],
] as const)
  if (!(v >= 1 && v <= 120)) throw new RangeError(`--${name} must be 1..120 minutes`);
const SCENARIO = arg('scenario', 'load');
if (SCENARIO !== 'load' && SCENARIO !== 'smoke') throw new RangeError('--scenario must be load or smoke');
const SAMPLE_MS = 5_000;
const root = join(import.meta.dirname, '..', '..');

// ---- /proc readers --------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'bench-idle-'));
const dataDir = join(work, 'data');
const notifications: { at: number; status: string; alerts: { name: string; status: string }[] }[] = [];
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (c: Buffer) => {
    body += c.toString();
  });
  request.on('end', () => {
    try {
      const payload = JSON.parse(body) as {
        status: string;
        alerts: { status: string; labels: Record<string, string> }[];
      };
      notifications.push({
        at: Date.now(),
        status: payload.status,
        alerts: payload.alerts.map((a) => ({ name: a.labels.alertname ?? '?', status: a.status })),
      });
    } catch {
      notifications.push({ at: Date.now(), status: 'unparsable', alerts: [] });
    }
    response.writeHead(200).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;

const [dashboardPort, targetPort, collectorPort, promPort] = await Promise.all([
  findFreePort(),
  findFreePort(),
  findFreePort(),
  findFreePort(),
]);
const targetUrl = `http://127.0.0.1:${targetPort}`;
const collectorUrl = `http://127.0.0.1:${collectorPort}`;
// Install and build first, without the census hook: setup may run the system's npm (Node 20), which
// cannot load a .ts hook from NODE_OPTIONS.
console.log('bench-idle: scripts/setup.sh (install and build when needed) …');
execFileSync('bash', ['scripts/setup.sh'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`bench-idle: starting the product (data in ${dataDir}) …`);
const censusFile = join(work, 'statements.json');
const product: ChildProcess = spawn('bash', ['scripts/start.sh'], {
  cwd: root,
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${join(import.meta.dirname, 'statement-census.ts')}`,
    STATEMENT_CENSUS: censusFile,
    DATA_DIR: dataDir,
    DASHBOARD_PORT: String(dashboardPort),
    TARGET_PORT: String(targetPort),
    COLLECTOR_PORT: String(collectorPort),
    ALERT_WEBHOOK_URL: webhookUrl,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let productLog = '';
const keepLog = (c: Buffer) => {
  productLog = (productLog + c.toString()).slice(-20_000);
};
product.stdout?.on('data', keepLog);
product.stderr?.on('data', keepLog);
const stopAll: (() => Promise<void>)[] = [];
const cleanup = async () => {
  for (const stop of stopAll.reverse()) await stop().catch(() => {});
  receiver.close();
  rmSync(work, { recursive: true, force: true });
};
stopAll.push(async () => {
  if (product.exitCode !== null || product.pid === undefined) return;
  const exited = new Promise((resolve) => product.once('exit', resolve));
  process.kill(product.pid, 'SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  try {
    process.kill(-product.pid, 'SIGKILL');
  } catch {}
});

try {
  const readyBy = Date.now() + 900_000; // a first start may build the dashboard
  for (;;) {
    const up = await Promise.all(
      [`http://127.0.0.1:${dashboardPort}/signin`, `${targetUrl}/health`].map((u) =>
        fetch(u)
          .then((r) => r.ok)
          .catch(() => false),
      ),
    );
    if (up.every(Boolean)) break;
    if (product.exitCode !== null)
      throw new Error(`the product exited (${product.exitCode}):\n${productLog}`);
    if (Date.now() > readyBy) throw new Error(`the product was not ready in 15 min:\n${productLog}`);
    await sleep(2_000);
  }
  // start.sh → the dashboard (node server.ts) → the supervised target → its embedded database.
  const dashboardPid = childrenOf(product.pid as number).find((p) => commandOf(p).includes('server.ts'));
  if (dashboardPid === undefined) throw new Error('no dashboard process under start.sh');
  const targetPid = childrenOf(dashboardPid).find((p) => commandOf(p).includes('target-app/src/main.ts'));
  const databasePid = targetPid === undefined ? undefined : childrenOf(targetPid)[0];
  console.log(`bench-idle: dashboard ${dashboardPid}, target ${targetPid}, embedded database ${databasePid}`);

  const promDir = join(work, 'prometheus');
  mkdirSync(promDir, { recursive: true });
  if (!existsSync('/usr/bin/prometheus'))
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { stdio: 'inherit' });
  writeFileSync(
    join(promDir, 'prometheus.yml'),
    `global:\n  scrape_interval: 5s\n  scrape_timeout: 2s\nscrape_configs:\n  - job_name: car-suggester\n    static_configs:\n      - targets: ['127.0.0.1:${targetPort}']\n`,
  );
  const prom = spawn(
    '/usr/bin/prometheus',
    [
      `--config.file=${join(promDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: 'ignore' },
  );
  stopAll.push(async () => {
    prom.kill('SIGTERM');
    await sleep(1_000);
  });

  type Sample = {
    at: number;
    phase: 'traffic' | 'quiet';
    threads: Map<string, number>;
    dashboardCpu: number | null;
    dashboardRss: number | null;
    dashboardRssFile: number | null;
    targetRss: number | null;
    databaseRss: number | null;
    promCpu: number | null;
    promRss: number | null;
    parts: string[];
    statements: Record<string, number>;
  };
  const chdbDir = join(dataDir, 'chdb');
  const sample = (phase: Sample['phase']): Sample => ({
    at: Date.now(),
    phase,
    threads: threadCpu(dashboardPid),
    dashboardCpu: processCpu(dashboardPid),
    dashboardRss: rssMb(dashboardPid),
    dashboardRssFile: rssMb(dashboardPid, 'RssFile'),
    targetRss: rssMb(targetPid),
    databaseRss: rssMb(databasePid),
    promCpu: processCpu(prom.pid),
    promRss: rssMb(prom.pid),
    parts: parts(chdbDir),
    statements: (JSON.parse(read(censusFile) ?? '{}') as { counts?: Record<string, number> }).counts ?? {},
  });
  const samples: Sample[] = [];
  const runPhase = async (phase: Sample['phase'], minutes: number) => {
    const end = Date.now() + minutes * 60_000;
    while (Date.now() < end) {
      samples.push(sample(phase));
      const left = Math.round((end - Date.now()) / 1000);
      process.stdout.write(
        `\r${phase}: ${left} s left · dashboard RSS ${samples.at(-1)?.dashboardRss} MB · parts ${samples.at(-1)?.parts.length} · notifications ${notifications.length}   `,
      );
      await sleep(SAMPLE_MS);
    }
    samples.push(sample(phase));
    process.stdout.write('\n');
  };

  // 1. traffic: the load scenario at a smoke scale (or a smoke run), sent to the collector as the
  // launcher sends it.
  const runDir = join(work, 'k6');
  mkdirSync(runDir, { recursive: true });
  const { args, env } = buildK6Command({
    script: scenarioScript(scenarios[SCENARIO]),
    runId: `bench_idle_${Date.now()}`,
    apiAddress: `127.0.0.1:${await findFreePort()}`,
    params:
      SCENARIO === 'load'
        ? { vus: 20, duration: `${TRAFFIC_MIN}m`, target: targetUrl, scale: 0.002 }
        : { vus: 2, duration: `${TRAFFIC_MIN}m`, target: targetUrl },
    otlpEndpoint: `127.0.0.1:${collectorPort}`,
    summaryPath: join(runDir, 'summary.json'),
  });
  const k6 = spawn(resolveK6Path(), args, { cwd: runDir, env: { ...process.env, ...env }, stdio: 'ignore' });
  const k6Exit = new Promise<number | null>((resolve) => k6.once('exit', resolve));
  stopAll.push(async () => {
    k6.kill('SIGTERM');
  });
  await runPhase('traffic', TRAFFIC_MIN);
  const k6Code = await Promise.race([k6Exit, sleep(60_000).then(() => 'still running')]);
  // 2. quiet.
  await runPhase('quiet', QUIET_MIN);

  const collectorMetrics = await fetch(`${collectorUrl}/metrics`)
    .then((r) => r.text())
    .catch(() => '');
  const counter = (name: string) =>
    collectorMetrics
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  const refusals = {
    rejectedPoints: counter('otelcol_receiver_refused_metric_points_total'),
    rejectedSpans: counter('otelcol_receiver_refused_spans_total'),
    rejectedLogs: counter('otelcol_receiver_refused_log_records_total'),
  };

  // ---- report ---------------------------------------------------------------------------------
  const summarise = (phase: Sample['phase']) => {
    const s = samples.filter((x) => x.phase === phase);
    const first = s[0] as Sample;
    const last = s.at(-1) as Sample;
    const seconds = (last.at - first.at) / 1000;
    const share = (a: number | null, b: number | null) =>
      a === null || b === null ? null : Math.round(((b - a) / seconds) * 1000) / 10;
    const threads = [...last.threads.entries()]
      .map(([name, cpu]) => ({
        name,
        coreShare: Math.round(((cpu - (first.threads.get(name) ?? 0)) / seconds) * 1000) / 10,
      }))
      .filter((t) => t.coreShare > 0)
      .sort((a, b) => b.coreShare - a.coreShare);
    const seen = new Set(first.parts);
    let merges = 0;
    for (const x of s)
      for (const p of x.parts)
        if (!seen.has(p)) {
          seen.add(p);
          if (isMerged(p)) merges++;
        }
    const max = (pick: (x: Sample) => number | null) => Math.max(...s.map((x) => pick(x) ?? 0));
    const statementsPerMin = Object.entries(last.statements)
      .map(([kind, n]) => ({
        kind,
        perMin: Math.round(((n - (first.statements[kind] ?? 0)) / (seconds / 60)) * 10) / 10,
      }))
      .filter((x) => x.perMin > 0)
      .sort((a, b) => b.perMin - a.perMin);
    return {
      phase,
      minutes: Math.round(seconds / 6) / 10,
      dashboardCorePct: share(first.dashboardCpu, last.dashboardCpu),
      dashboardRssMbEnd: last.dashboardRss,
      dashboardRssMbMax: max((x) => x.dashboardRss),
      dashboardRssFileMbEnd: last.dashboardRssFile,
      targetRssMbMax: max((x) => x.targetRss),
      databaseRssMbMax: max((x) => x.databaseRss),
      partsEnd: last.parts.length,
      mergesPerMin: Math.round((merges / (seconds / 60)) * 10) / 10,
      prometheusCorePct: share(first.promCpu, last.promCpu),
      prometheusRssMbMax: max((x) => x.promRss),
      insertsPerMin: Math.round(
        statementsPerMin.reduce((n, x) => n + (x.kind.startsWith('insert') ? x.perMin : 0), 0),
      ),
      queriesPerMin: Math.round(
        statementsPerMin.reduce((n, x) => n + (x.kind.startsWith('query') ? x.perMin : 0), 0),
      ),
      threads,
      statementsPerMin,
    };
  };
  const phases = [summarise('traffic'), summarise('quiet')];
  console.table(
    phases.map(({ threads: _t, statementsPerMin: _s, ...p }) => ({
      ...p,
      '≤ 5 % core (quiet)': p.phase === 'quiet' ? ((p.dashboardCorePct ?? 100) <= 5 ? 'yes' : 'NO') : '',
      '≤ 400 MB': (p.dashboardRssMbMax ?? 0) <= 400 ? 'yes' : 'NO',
    })),
  );
  for (const p of phases) {
    console.log(`dashboard process threads, ${p.phase} (% of one core):`);
    console.table(p.threads.slice(0, 12));
    console.log(`store statements per minute, ${p.phase}:`);
    console.table(p.statementsPerMin.slice(0, 12));
  }
  const fired = notifications.flatMap((n) =>
    n.alerts.filter((a) => a.status === 'firing').map((a) => a.name),
  );
  console.log(
    `alert notifications: ${notifications.length} (firing: ${fired.length ? fired.join(', ') : 'none'})`,
  );
  console.log(`collector refused/rejected items: ${JSON.stringify(refusals)}; k6 exit: ${k6Code}`);
  const out = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg: loadavg() },
    options: {
      scenario: SCENARIO,
      trafficMin: TRAFFIC_MIN,
      quietMin: QUIET_MIN,
      sampleMs: SAMPLE_MS,
      scrapeInterval: '5s',
    },
    phases,
    notifications,
    refusals,
    k6Exit: k6Code,
  };
  const resultsDir = join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `idle-${out.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`saved ${file}`);
} finally {
  await cleanup();
}
