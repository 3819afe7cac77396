// The target's own RSS with the embedded database in a process of its own (issue 16): the real
// target-app process (deployment V8 flags) driven by real k6 — the smoke scenario and the load
// scenario at laptop scale — once in embedded mode (DATA_DIR set, as `npm start` runs it) and, as the
// reference in the same run, once on a PostgreSQL server (the same pg pool code, the database's memory
// outside any node process). Peak RSS of the target and of its database process, sampled from /proc,
// against the plan's 200 MB. Prints a table, writes bench/results/target-embedded-rss-<time>.json.
// Run: node bench/target-app/embedded-rss.ts [--cars 20000] [--load-scale 0.01] [--seconds 60]
//   (PostgreSQL from `eval "$(bash scripts/test-services.sh)"`, TEST_DATABASE_URL).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveK6Path, scenarioScript, scenarios } from '../../load-tests/src/index.ts';
import { startTarget } from './target-process.ts';
import { createDatabase, dropDatabase } from './test-servers.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const CARS = Number(arg('cars', '20000'));
const LOAD_SCALE = Number(arg('load-scale', '0.01'));
const SECONDS = Number(arg('seconds', '60'));
if (!Number.isInteger(CARS) || CARS < 100 || CARS > 1_000_000)
  throw new RangeError('--cars must be 100..1000000');
if (!(LOAD_SCALE > 0 && LOAD_SCALE <= 0.05)) throw new RangeError('--load-scale must be in (0, 0.05]');
if (!Number.isInteger(SECONDS) || SECONDS < 10 || SECONDS > 600)
  throw new RangeError('--seconds must be 10..600');
const PG_SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const PLAN_MB = 200;
const k6 = resolveK6Path();

const rssMb = (pid: number | undefined): number => {
  if (pid === undefined) return 0;
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round(kb / 102.4) / 10;
  } catch {
    return 0;
  }
};
/** The embedded database: the target's child process (the only one it starts). */
const childOf = (pid: number): number | undefined => {
  try {
    const ids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return ids[0] ? Number(ids[0]) : undefined;
  } catch {
    return undefined;
  }
};

type Row = {
  mode: 'embedded' | 'postgresql';
  phase: 'idle' | 'smoke' | 'load';
  vus: number;
  requests: number;
  failedRate: number;
  p95Ms: number;
  targetPeakMb: number;
  databasePeakMb: number | null;
};

async function k6Phase(
  url: string,
  phase: 'smoke' | 'load',
): Promise<{ vus: number; requests: number; failedRate: number; p95Ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-k6-'));
  const summary = join(dir, 'summary.json');
  const env =
    phase === 'smoke'
      ? { BASE_URL: url, VUS: '2', DURATION: `${SECONDS}s`, SUMMARY_PATH: summary }
      : { BASE_URL: url, SCALE: String(LOAD_SCALE), DURATION: `${SECONDS}s`, SUMMARY_PATH: summary };
  const args = ['run', '--quiet', '--no-usage-report'];
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  args.push(scenarioScript(scenarios[phase]));
  await promisify(execFile)(k6, args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).catch((error: unknown) => {
    // A threshold crossed exits 99; the summary is still written.
    if ((error as { code?: number }).code !== 99) throw error;
  });
  // handleSummary's data (load-tests/k6/lib/summary.js): metrics[name].values.
  const s = JSON.parse(readFileSync(summary, 'utf8')) as {
    metrics: Record<string, { values: Record<string, number> }>;
  };
  rmSync(dir, { recursive: true, force: true });
  const v = (name: string, stat: string) => s.metrics[name]?.values[stat] ?? 0;
  return {
    vus: v('vus_max', 'max') || v('vus_max', 'value'),
    requests: v('http_reqs', 'count'),
    failedRate: v('http_req_failed', 'rate'),
    p95Ms: Math.round(v('http_req_duration', 'p(95)')),
  };
}

async function measure(mode: Row['mode']): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-rss-data-'));
  const dbName = `bench_rss_${process.pid}`;
  const env: Record<string, string> = {
    CAR_COUNT: String(CARS),
    LOG_LEVEL: 'warn',
    TELEMETRY_ENABLED: 'false',
    RATE_LIMIT_MAX: '1000000',
    AUTH_BCRYPT_COST: '4',
    PRICE_CHANGER_ENABLED: 'false',
  };
  if (mode === 'embedded') env.DATA_DIR = dataDir;
  else env.DATABASE_URL = await createDatabase(PG_SERVER, dbName);
  const target = await startTarget(env, (line) => console.log(`  ${line}`));
  const dbPid = mode === 'embedded' ? childOf(target.pid) : undefined;
  let dbPeak = rssMb(dbPid);
  const sampler = setInterval(() => {
    dbPeak = Math.max(dbPeak, rssMb(dbPid));
  }, 200);
  const rows: Row[] = [];
  try {
    rows.push({
      mode,
      phase: 'idle',
      vus: 0,
      requests: 0,
      failedRate: 0,
      p95Ms: 0,
      targetPeakMb: target.currentRssMb(),
      databasePeakMb: dbPid === undefined ? null : rssMb(dbPid),
    });
    for (const phase of ['smoke', 'load'] as const) {
      process.stdout.write(`${mode}: ${phase} for ${SECONDS} s …\n`);
      target.beginWindow();
      dbPeak = rssMb(dbPid);
      const k = await k6Phase(target.url, phase);
      rows.push({
        mode,
        phase,
        ...k,
        targetPeakMb: target.window().peakRssMb,
        databasePeakMb: dbPid === undefined ? null : dbPeak,
      });
    }
  } finally {
    clearInterval(sampler);
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (mode === 'postgresql') await dropDatabase(PG_SERVER, dbName);
  }
  return rows;
}

const rows = [...(await measure('embedded')), ...(await measure('postgresql'))];
const table = rows.map((r) => ({
  mode: r.mode,
  phase: r.phase,
  'peak VUs': r.vus,
  requests: r.requests,
  'failed %': Math.round(r.failedRate * 1000) / 10,
  'p95 ms': r.p95Ms,
  'target peak RSS MB': r.targetPeakMb,
  [`≤ ${PLAN_MB} MB`]: r.targetPeakMb <= PLAN_MB ? 'yes' : 'NO',
  'database process peak RSS MB': r.databasePeakMb ?? '(server)',
}));
console.table(table);
const out = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, loadavg: loadavg() },
  options: { cars: CARS, loadScale: LOAD_SCALE, seconds: SECONDS, planMb: PLAN_MB, telemetry: false },
  rows,
};
const resultsDir = join(import.meta.dirname, '..', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `target-embedded-rss-${out.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
console.log(`saved ${file}`);
