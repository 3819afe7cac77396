// What each of the plan's optimisations buys on its own endpoint: the real target process (PostgreSQL
// + Redis) with every switch at its start value as the reference, and one switch moved through
// PUT /admin/optimisations as the variant; closed-loop fetch windows alternate reference and variant
// (--rounds times) on the same process, so the ratio compares like with like on a noisy machine.
// Prints a table, writes bench/results/optimisations-<time>.json.
// Run: node bench/target-app/optimisations.ts [--seconds 2] [--rounds 2] [--cars 20000] [--only a,b]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type LoopResult, runLoop } from './fetch-loop.ts';
import { type BenchCase, benchCases, type Settings } from './optimisation-cases.ts';
import { type RunningTarget, startTarget } from './target-process.ts';
import { createDatabase, deleteRedisKeys, dropDatabase } from './test-servers.ts';

const optionsSchema = z.strictObject({
  seconds: z.coerce.number().min(0.5).max(60).default(2),
  rounds: z.coerce.number().int().min(1).max(10).default(2),
  cars: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  only: z
    .string()
    .regex(/^[a-zA-Z]+(,[a-zA-Z]+)*$/, 'must be switch names, comma-separated')
    .optional(),
  'mail-delay-ms': z.coerce.number().int().min(0).max(5_000).default(20),
});
const parsed = optionsSchema.safeParse(
  parseArgs({
    options: {
      seconds: { type: 'string' },
      rounds: { type: 'string' },
      cars: { type: 'string' },
      only: { type: 'string' },
      'mail-delay-ms': { type: 'string' },
    },
  }).values,
);
if (!parsed.success) {
  const issue = parsed.error.issues[0];
  console.error(`optimisations bench: --${String(issue?.path[0] ?? '?')}: ${issue?.message}`);
  process.exit(2);
}
const opts = parsed.data;
const t0 = performance.now();
const progress = (line: string) =>
  console.error(`[bench +${Math.round((performance.now() - t0) / 1000)}s] ${line}`);

function testServers(): { pg: string; redis: string } {
  let pg = process.env.TEST_DATABASE_URL;
  let redis = process.env.TEST_REDIS_URL;
  if (pg === undefined || redis === undefined) {
    const script = join(import.meta.dirname, '..', '..', 'scripts', 'test-services.sh');
    const exports = execFileSync('bash', [script], { encoding: 'utf8' });
    pg ??= /TEST_DATABASE_URL=(\S+)/.exec(exports)?.[1];
    redis ??= /TEST_REDIS_URL=(\S+)/.exec(exports)?.[1];
  }
  if (pg === undefined || redis === undefined) throw new Error('no PostgreSQL/Redis test server URLs');
  return { pg, redis };
}

/** A stand-in for a mail provider's HTTP API: answers 202 after a fixed delay. */
async function startMailStandIn(delayMs: number) {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => setTimeout(() => response.writeHead(202).end(), delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mail`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const runId = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dbName = `bench_opt_${runId}_${randomBytes(2).toString('hex')}`;
const prefix = `bench-opt-${runId}:`;
const adminToken = randomBytes(16).toString('hex');
const servers = testServers();
const mail = await startMailStandIn(opts['mail-delay-ms']);
let target: RunningTarget | undefined;

async function setSwitches(settings: Settings): Promise<void> {
  const response = await fetch(`${target?.url}/admin/optimisations`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ preset: 'start', ...settings }),
  });
  if (response.status !== 200)
    throw new Error(`PUT /admin/optimisations: ${response.status} ${await response.text()}`);
}

type CaseResult = {
  name: string;
  endpoint: string;
  reference: { settings: Settings; windows: LoopResult[] };
  variant: { settings: Settings; windows: LoopResult[] };
  /** variant / reference over all windows (mean of per-round ratios). */
  p50Ratio: number;
  p95Ratio: number;
  rateRatio: number;
};

const WARM_UP_S = 0.5;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const r2 = (x: number) => Math.round(x * 100) / 100;

async function measure(bench: BenchCase): Promise<CaseResult> {
  const reference: LoopResult[] = [];
  const variant: LoopResult[] = [];
  let window = 0;
  const loop = async (which: 'reference' | 'variant', seconds: number) => {
    await setSwitches(bench[which]);
    const loopOptions = { concurrency: bench.concurrency, expected: bench.expected ?? [200] };
    // Unrecorded, on keys of its own: a replaced pool opens its connections, a switched cache fills
    // (the same for both sides).
    window += 1;
    await runLoop(bench.request(which, window), { ...loopOptions, seconds: WARM_UP_S });
    window += 1;
    return runLoop(bench.request(which, window), { ...loopOptions, seconds });
  };
  await bench.setup?.(setSwitches);
  for (let round = 0; round < opts.rounds; round += 1) {
    reference.push(await loop('reference', opts.seconds));
    variant.push(await loop('variant', opts.seconds));
  }
  const ratio = (pick: (r: LoopResult) => number) =>
    r2(mean(variant.map((v, i) => pick(v) / pick(reference[i] as LoopResult))));
  return {
    name: bench.name,
    endpoint: bench.endpoint,
    reference: { settings: bench.reference, windows: reference },
    variant: { settings: bench.variant, windows: variant },
    p50Ratio: ratio((r) => r.p50Ms),
    p95Ratio: ratio((r) => r.p95Ms),
    rateRatio: ratio((r) => r.perSecond),
  };
}

const results: CaseResult[] = [];
const loadAtStart = loadavg();
try {
  await createDatabase(servers.pg, dbName);
  progress(`starting target-app with ${opts.cars} cars on PostgreSQL + Redis`);
  target = await startTarget(
    {
      DATABASE_URL: `${servers.pg.replace(/\/[^/]*$/, '')}/${dbName}`,
      REDIS_URL: servers.redis,
      CAR_COUNT: String(opts.cars),
      CACHE_KEY_PREFIX: prefix,
      // Smaller than the details working set (2,000 cars), as with many instances: L2 has work to do.
      CACHE_L1_MAX_ENTRIES: '500',
      AUTH_BCRYPT_COST: '10',
      DB_POOL_MAX: '20',
      MAIL_WEBHOOK_URL: mail.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_TOKEN: adminToken,
      // The bench's loopback address is limited like any client (high limits: nothing is refused).
      RATE_LIMIT_ALLOWLIST: '192.0.2.1',
      RATE_LIMIT_AUTH_PER_MIN: '1000000',
      RATE_LIMIT_SEARCH_PER_MIN: '1000000',
      RATE_LIMIT_API_PER_MIN: '1000000',
      TELEMETRY_ENABLED: 'false',
      PRICE_CHANGER_ENABLED: 'false',
      LOG_LEVEL: 'error',
    },
    progress,
  );
  const only = opts.only?.split(',');
  for (const bench of benchCases(target.url)) {
    if (only !== undefined && !only.includes(bench.name)) continue;
    progress(`${bench.name}: ${bench.endpoint}`);
    results.push(await measure(bench));
  }
} finally {
  await target?.stop();
  await mail.close();
  await dropDatabase(servers.pg, dbName).catch(() => undefined);
  await deleteRedisKeys(servers.redis, prefix).catch(() => 0);
}

const settingsText = (s: Settings) =>
  Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
const rows = results.map((r) => {
  const ref = r.reference.windows;
  const varw = r.variant.windows;
  return {
    switch: r.name,
    endpoint: r.endpoint,
    variant: settingsText(r.variant.settings),
    'ref p50': r2(mean(ref.map((w) => w.p50Ms))),
    'ref p95': r2(mean(ref.map((w) => w.p95Ms))),
    'ref req/s': r2(mean(ref.map((w) => w.perSecond))),
    'var p50': r2(mean(varw.map((w) => w.p50Ms))),
    'var p95': r2(mean(varw.map((w) => w.p95Ms))),
    'var req/s': r2(mean(varw.map((w) => w.perSecond))),
    'p95 ×': r.p95Ratio,
    'req/s ×': r.rateRatio,
    errors: [...ref, ...varw].reduce((sum, w) => sum + w.errors, 0),
  };
});
console.table(rows);
const dir = join(import.meta.dirname, '..', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `optimisations-${runId}.json`);
const report = {
  runId,
  options: opts,
  machine: { cpus: cpus().length, loadAtStart, loadAtEnd: loadavg() },
  reference: 'every switch at its start value (the plan applied); ms are client-side, loopback',
  results,
};
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`written ${file}`);
