// Load-tests benchmark on this machine, against the real target-app (embedded PGlite, 200 cars):
//  1. the load journey at rising VU counts: k6 peak memory (→ MB per VU) and whether the plan
//     thresholds still hold (the most VUs sustained);
//  2. the highest request rate one k6 process generates against GET /health;
//  3. the launcher's overhead: the same smoke run through `k6 run` plainly and through the launcher.
// Prints a table and writes bench/results/load-tests-<time>.json. Run: node bench/load-tests/run.ts
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startTargetApp } from 'target-app';
import { createLauncher, resolveK6Path, scenarioScript, scenarios } from '../../load-tests/src/index.ts';

const k6Path = resolveK6Path();
const work = mkdtempSync(join(tmpdir(), 'bench-lt-'));
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const LADDER = arg('vus', '1,100,300,1000').split(',').map(Number);
const STEP = arg('step', '15s');

type Summary = { metrics?: Record<string, { values?: Record<string, number> }> };
type K6Result = { wallMs: number; peakRssMb: number; summary: Summary; code: number | null };

/** Runs k6 directly, sampling its RSS every 100 ms. */
function runK6(script: string, env: Record<string, string>): Promise<K6Result> {
  const summaryPath = join(work, `summary-${Date.now()}.json`);
  const args = ['run', '--quiet', '--no-usage-report'];
  for (const [k, v] of Object.entries({ ...env, SUMMARY_PATH: summaryPath })) args.push('-e', `${k}=${v}`);
  args.push(script);
  const started = performance.now();
  const child = spawn(k6Path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {}
  }, 100);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearInterval(timer);
      let summary: Summary = {};
      try {
        summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
      } catch {}
      resolve({ wallMs: performance.now() - started, peakRssMb: peakKb / 1024, summary, code });
    }),
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = (s: Summary, metric: string, key: string): number =>
  s.metrics?.[metric]?.values?.[key] ?? Number.NaN;

const target = await startTargetApp({
  port: 0,
  telemetryEnabled: false,
  carCount: 200,
  logLevel: 'warn',
  adminToken: 'bench-admin-token-123',
});
for (let i = 0; i < 20; i++) await (await fetch(`${target.url}/api/cars?page=1&pageSize=20`)).arrayBuffer();
const out: Record<string, unknown> = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, memGb: Math.round(totalmem() / 2 ** 30) },
};

// 1. VU ladder on the load journey (load.js with SCALE = vus / 10,000, a constant plateau mostly).
const ladder = [];
for (const vus of LADDER) {
  const r = await runK6(scenarioScript(scenarios.load), {
    BASE_URL: target.url,
    SCALE: String(vus / scenarios.load.plan.peakVus),
    DURATION: STEP,
  });
  const row = {
    vus,
    peakRssMb: +r.peakRssMb.toFixed(1),
    reqRate: +m(r.summary, 'http_reqs', 'rate').toFixed(1),
    p95Ms: +m(r.summary, 'http_req_duration', 'p(95)').toFixed(1),
    errorRate: m(r.summary, 'http_req_failed', 'rate'),
    thresholdsPassed: r.code === 0,
  };
  ladder.push(row);
  console.error('ladder', row);
}
const base = ladder[0]!;
const perVu = ladder
  .filter((r) => r.vus > base.vus)
  .map((r) => (r.peakRssMb - base.peakRssMb) / (r.vus - base.vus));
out.loadJourney = {
  ladder,
  mbPerVu: perVu.length > 0 ? +median(perVu).toFixed(3) : null,
  mostVusSustained: Math.max(0, ...ladder.filter((r) => r.thresholdsPassed).map((r) => r.vus)),
};

// 2. Highest request rate against /health, for a few VU counts.
const health = [];
for (const vus of [10, 50]) {
  const r = await runK6(join(import.meta.dirname, 'health-rate.js'), {
    BASE_URL: target.url,
    VUS: String(vus),
    DURATION: '10s',
  });
  health.push({
    vus,
    reqRate: Math.round(m(r.summary, 'http_reqs', 'rate')),
    p95Ms: +m(r.summary, 'http_req_duration', 'p(95)').toFixed(2),
    peakRssMb: +r.peakRssMb.toFixed(1),
  });
  console.error('health', health.at(-1));
}
out.healthRate = { runs: health, maxReqRate: Math.max(...health.map((h) => h.reqRate)) };

// 3. Launcher overhead: smoke, 2 VUs, 5 s — plain k6 vs the launcher (launch → ended), 3 times each.
const plain: number[] = [];
const launched: number[] = [];
const launcher = createLauncher({ targets: [target.url], runsDir: join(work, 'runs') });
for (let i = 0; i < 3; i++) {
  plain.push(
    (await runK6(scenarioScript(scenarios.smoke), { BASE_URL: target.url, VUS: '2', DURATION: '5s' })).wallMs,
  );
  const t0 = performance.now();
  const run = launcher.launch({ scenario: 'smoke', params: { target: target.url, vus: 2, duration: '5s' } });
  await launcher.whenEnded(run.id);
  launched.push(performance.now() - t0);
}
await launcher.close();
out.launcherOverhead = {
  plainMs: Math.round(median(plain)),
  launcherMs: Math.round(median(launched)),
  overheadMs: Math.round(median(launched) - median(plain)),
  ratio: +(median(launched) / median(plain)).toFixed(3),
};
await target.close();

const lj = out.loadJourney as { ladder: typeof ladder; mbPerVu: number; mostVusSustained: number };
console.log('\nload journey (load.js, think time 1 s):');
console.log('  VUs    peak RSS MB   req/s    p95 ms   thresholds');
for (const r of lj.ladder)
  console.log(
    `  ${String(r.vus).padEnd(6)} ${String(r.peakRssMb).padEnd(13)} ${String(r.reqRate).padEnd(8)} ${String(r.p95Ms).padEnd(8)} ${r.thresholdsPassed ? 'pass' : 'FAIL'}`,
  );
console.log(`  memory per VU ≈ ${lj.mbPerVu} MB; most VUs sustained: ${lj.mostVusSustained}`);
console.log(
  'GET /health, one k6 process:',
  health.map((h) => `${h.vus} VUs → ${h.reqRate} req/s`).join(', '),
);
console.log('launcher overhead:', out.launcherOverhead);
const dir = join(import.meta.dirname, '..', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `load-tests-${(out.at as string).replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${file}`);
