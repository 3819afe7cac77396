// Target-app benchmark: N cars (1 M by default) loaded into a fresh PostgreSQL database (load time),
// then the real target-app (PostgreSQL + Redis) driven by real k6 at fixed arrival rates:
//   1. mix, telemetry on: search, details, recommendations, login at their own rates → p50/p95/p99,
//      error rate per endpoint;
//   2. step ladders, stopping at the first breach of p95 < 200 ms: random searches (nearly all miss
//      the caches), then popular searches (Zipf over 1,000, caches warmed first);
//   3. mix, telemetry off (TELEMETRY_ENABLED=false), then on again: the overhead as a ratio;
// each phase with the target's peak RSS and CPU per request (sampled from /proc). Each target process
// starts with cold caches (its own Redis key prefix). Prints a table, writes
// bench/results/target-app-<time>.json. Run: npm run bench:target-app -- [--cars 20000] [--help]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { type PhaseResult, type Rates, runPhase } from './k6-phase.ts';
import { parseBenchOptions } from './options.ts';
import { startOtlpSink } from './otlp-sink.ts';
import {
  type BenchReport,
  checkTargets,
  formatReport,
  SEARCH_P95_LIMIT_MS,
  type StepResult,
  telemetryOverhead,
} from './report.ts';
import { type RunningTarget, startTarget } from './target-process.ts';
import { createDatabase, deleteRedisKeys, dropDatabase, loadCars } from './test-servers.ts';

const opts = parseBenchOptions();
const t0 = performance.now();
const loadAtStart = loadavg();
const progress = (line: string) =>
  console.error(`[bench +${Math.round((performance.now() - t0) / 1000)}s] ${line}`);

function testServers(): { pg: string; redis: string } {
  let pg = opts['pg-url'] ?? process.env.TEST_DATABASE_URL;
  let redis = opts['redis-url'] ?? process.env.TEST_REDIS_URL;
  if (pg === undefined || redis === undefined) {
    progress('starting the test servers (scripts/test-services.sh)');
    const exports = execFileSync(
      'bash',
      [join(import.meta.dirname, '..', '..', 'scripts', 'test-services.sh')],
      {
        encoding: 'utf8',
      },
    );
    pg ??= /TEST_DATABASE_URL=(\S+)/.exec(exports)?.[1];
    redis ??= /TEST_REDIS_URL=(\S+)/.exec(exports)?.[1];
  }
  if (pg === undefined || redis === undefined) throw new Error('no PostgreSQL/Redis test server URLs');
  return { pg, redis };
}

const runId = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dbName = `bench_target_${runId}_${randomBytes(2).toString('hex')}`;
const servers = testServers();
const workDir = mkdtempSync(join(tmpdir(), 'bench-target-app-'));
const sink = await startOtlpSink();
const users = Array.from({ length: opts.users }, (_, i) => ({
  email: `bench-${i}-${runId}@example.com`,
  password: `bench-password-${randomBytes(6).toString('hex')}`,
}));
let target: (RunningTarget & { warnings: string[] }) | undefined;
let dbUrl: string | undefined;
const prefixes: string[] = [];

async function cleanUp(): Promise<void> {
  await target?.stop().catch(() => {});
  target = undefined;
  await sink.close();
  rmSync(workDir, { recursive: true, force: true });
  for (const prefix of prefixes) await deleteRedisKeys(servers.redis, prefix).catch(() => 0);
  if (dbUrl !== undefined && !opts['keep-db']) await dropDatabase(servers.pg, dbName).catch(() => {});
  if (dbUrl !== undefined && opts['keep-db']) progress(`kept the database: ${dbUrl}`);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    progress(`${signal}: stopping the target and dropping the database`);
    void cleanUp().finally(() => process.exit(130));
  });

async function startWithTelemetry(telemetry: boolean, phase: string): Promise<void> {
  const prefix = `bench-target-${runId}-${phase}:`;
  prefixes.push(prefix);
  progress(`starting target-app (telemetry ${telemetry ? 'on' : 'off'}, cold caches)`);
  target = await startTarget(
    {
      DATABASE_URL: dbUrl!,
      REDIS_URL: servers.redis,
      CAR_COUNT: String(opts.cars),
      CAR_SEED: String(opts.seed),
      TELEMETRY_ENABLED: String(telemetry),
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      CACHE_KEY_PREFIX: prefix,
      AUTH_BCRYPT_COST: String(opts['bcrypt-cost']),
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_TOKEN: randomBytes(16).toString('hex'),
      RATE_LIMIT_ALLOWLIST: '127.0.0.1,::1',
      LOG_LEVEL: 'warn',
    },
    progress,
  );
  progress(`target-app ready at ${target.url} (pid ${target.pid}, RSS ${target.currentRssMb()} MB)`);
}

async function stopTarget(): Promise<void> {
  await target?.stop();
  target = undefined;
}

/** What every phase runs against: the running target, its database and the registered users. */
const common = () => ({
  target: target!,
  carCount: opts.cars,
  databaseUrl: dbUrl!,
  users,
  workDir,
  log: progress,
});

async function measuredMix(label: string): Promise<PhaseResult> {
  if (opts.warmup > 0) {
    progress(`${label}: warm-up ${opts.warmup} s (not measured)`);
    await runPhase({
      ...common(),
      label: `${label} warm-up`,
      rates: opts.rates,
      durationSeconds: opts.warmup,
    });
  }
  const before = sink.counts().bytes;
  const result = await runPhase({
    ...common(),
    label,
    rates: opts.rates as Rates,
    durationSeconds: opts.duration,
  });
  progress(
    `${label}: ${result.totalRate} req/s, p95 ${result.totalP95Ms} ms, errors ${(result.totalErrorRate * 100).toFixed(2)} %, RSS ${result.peakRssMb} MB, OTLP received ${Math.round((sink.counts().bytes - before) / 1024)} KiB`,
  );
  return result;
}

/** Rising rates of one endpoint alone, stopping at the first breach of p95 < 200 ms, 1 % errors or 1 % dropped. */
async function stepLadder(endpoint: 'search' | 'popular', rates: number[]): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  for (const rate of rates) {
    const phase = await runPhase({
      ...common(),
      label: `${endpoint} ${rate}/s`,
      rates: { [endpoint]: rate },
      durationSeconds: opts['step-duration'],
    });
    const s = phase.endpoints[endpoint]!;
    const expected = rate * opts['step-duration'];
    const reason =
      s.p95Ms >= SEARCH_P95_LIMIT_MS
        ? `p95 ${s.p95Ms} ms`
        : s.errorRate > 0.01
          ? `errors ${(s.errorRate * 100).toFixed(1)} %`
          : s.droppedIterations > expected * 0.01
            ? `${s.droppedIterations} dropped (k6 ran out of VUs: responses too slow)`
            : '';
    steps.push({ rate, phase, breached: reason !== '', reason });
    progress(`${endpoint} ${rate}/s: got ${s.achievedRate}/s, p95 ${s.p95Ms} ms → ${reason || 'ok'}`);
    if (reason !== '') break;
  }
  return steps;
}

/** Every popular search asked once, so the ladder measures a site's steady state, not the cold fill. */
async function warmPopular(): Promise<void> {
  progress('popular searches: warming the caches (each of the 1,000 asked once)');
  await runPhase({
    ...common(),
    label: 'popular warm-up',
    rates: {},
    durationSeconds: 1,
    env: { WARM_POPULAR: '1' },
  });
}

try {
  progress(
    `load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; ${cpus().length} CPUs`,
  );
  progress(`creating database ${dbName}; loading ${opts.cars} cars (seed ${opts.seed})`);
  dbUrl = await createDatabase(servers.pg, dbName);
  const load = await loadCars(dbUrl, opts.cars, opts.seed, (line) => progress(`load: ${line}`));

  await startWithTelemetry(true, 'on1');
  for (const user of users) {
    const res = await fetch(`${target!.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user),
    });
    if (res.status !== 201) throw new Error(`registering ${user.email}: ${res.status} ${await res.text()}`);
  }
  const mixOn = await measuredMix('mix, telemetry on');
  const steps = await stepLadder('search', opts['search-rates']);
  await warmPopular();
  const popularSteps = await stepLadder('popular', opts['popular-rates']);
  await stopTarget();
  await startWithTelemetry(false, 'off');
  const mixOff = await measuredMix('mix, telemetry off');
  await stopTarget();
  await startWithTelemetry(true, 'on2');
  const mixOnAgain = await measuredMix('mix, telemetry on #2');
  const warnings = target!.warnings;
  await stopTarget();

  const passed = steps.filter((s) => !s.breached);
  const report: BenchReport = {
    load,
    mixOn,
    steps,
    highestSearchRate: passed.at(-1)?.rate ?? null,
    popularSteps,
    highestPopularRate: popularSteps.filter((s) => !s.breached).at(-1)?.rate ?? null,
    mixOff,
    mixOnAgain,
  };
  const overhead = telemetryOverhead(mixOn, mixOff, mixOnAgain);
  const targets = checkTargets(report);
  console.log(formatReport(report, overhead, targets));

  const at = new Date().toISOString();
  const out = {
    at,
    machine: {
      cpus: cpus().length,
      memGb: Math.round(totalmem() / 2 ** 30),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg(),
    },
    options: opts,
    target: {
      database: 'postgresql',
      redis: true,
      telemetryExport: 'OTLP/HTTP to an in-bench sink (200, discarded)',
    },
    ...report,
    telemetryOverhead: overhead,
    targets,
    otlpReceived: sink.counts(),
    targetWarnings: warnings,
    elapsedSeconds: Math.round((performance.now() - t0) / 1000),
  };
  const dir = join(import.meta.dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `target-app-${at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${file} (${out.elapsedSeconds} s in all)`);
} finally {
  await cleanUp();
}
