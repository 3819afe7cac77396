// One measured phase: real k6 running fixed-rates.js at the given arrival rates against a running
// target, with the target's peak RSS and CPU time for the same window. Results come from k6's
// handleSummary JSON (exact percentiles: k6 keeps every sample of a Trend).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { beginDatabaseWindow, type DatabaseWindow } from './db-sampler.ts';
import { beginMachineWindow, type MachineWindow } from './machine-sampler.ts';
import { type RunningTarget, round1 } from './target-process.ts';

export const ENDPOINTS = ['search', 'popular', 'details', 'recommendations', 'login'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];
export type Rates = Partial<Record<Endpoint, number>>;

const SCRIPT = join(import.meta.dirname, 'fixed-rates.js');
const K6 = join(import.meta.dirname, '..', '..', '.tools', 'bin', 'k6');

export type EndpointStats = {
  targetRate: number;
  achievedRate: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errorRate: number;
  /** Iterations due in the measured window that k6 could not start (set rate × duration − requests). */
  droppedIterations: number;
};

/** Seconds each phase runs at its rates before the measured window (k6 gets its VUs going). */
export const WARMUP_SECONDS = 3;

export type PhaseResult = {
  label: string;
  durationSeconds: number;
  endpoints: Partial<Record<Endpoint, EndpointStats>>;
  /** All endpoints together. */
  totalRate: number;
  totalP95Ms: number;
  totalErrorRate: number;
  peakRssMb: number;
  /** Target CPU time per request served (ms): the steadiest overhead figure on a noisy machine. */
  cpuMsPerRequest: number;
  cpuUtilisation: number;
  /** Who else used the 2 cores meanwhile (PostgreSQL, Redis, k6) and the hypervisor's steal. */
  machine: MachineWindow;
  /** PostgreSQL's side of the window, with its buffer pages per request served. */
  database: (DatabaseWindow & { buffersPerRequest: number }) | null;
};

const values = z.record(z.string(), z.number().nullable());
const summarySchema = z.object({
  metrics: z.record(z.string(), z.object({ values }).loose()),
});

export type PhaseInput = {
  label: string;
  target: RunningTarget;
  rates: Rates;
  durationSeconds: number;
  carCount: number;
  /** The bench database (its statistics are read around the window). */
  databaseUrl: string;
  users: { email: string; password: string }[];
  workDir: string;
  log: (line: string) => void;
  /** Extra k6 environment (e.g. WARM_POPULAR=1: ask every popular search once instead of the rates). */
  env?: Record<string, string>;
};

export async function runPhase(input: PhaseInput): Promise<PhaseResult> {
  const { label, target, rates, durationSeconds, log } = input;
  const summaryPath = join(input.workDir, `${label.replace(/\W+/g, '-')}-${Date.now()}.json`);
  const env: Record<string, string> = {
    BASE_URL: target.url,
    RATES: JSON.stringify(rates),
    DURATION: `${durationSeconds}s`,
    CAR_COUNT: String(input.carCount),
    USERS: JSON.stringify(input.users),
    SUMMARY_PATH: summaryPath,
    WARMUP_SECONDS: String(WARMUP_SECONDS),
    ...input.env,
  };
  const args = ['run', '--quiet', '--no-usage-report', '--no-color'];
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
  args.push(SCRIPT);

  target.beginWindow();
  const endDatabaseWindow = await beginDatabaseWindow(input.databaseUrl);
  const endMachineWindow = beginMachineWindow();
  const started = performance.now();
  // k6 shares the 2 cores with the target: a less eager Go GC (it keeps every Trend sample) leaves
  // the target ~15 % more CPU at 1,000 req/s; memory is not short here (k6 peaks under 1 GB).
  const child = spawn(K6, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GOGC: '400' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const ticker = setInterval(() => {
    const elapsed = Math.round((performance.now() - started) / 1000);
    log(`${label}: ${elapsed}/${durationSeconds} s, target RSS ${target.currentRssMb()} MB`);
  }, 5000);
  // k6 exits 99 when a threshold fails; ours cannot, so anything but 0 is a broken run.
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(ticker);
  const elapsedSeconds = (performance.now() - started) / 1000;
  const { peakRssMb, cpuSeconds } = target.window();
  const machine = endMachineWindow();
  const database = await endDatabaseWindow();
  if (code !== 0 || !existsSync(summaryPath)) {
    throw new Error(`k6 (${label}) exited with ${code}:\n${stderr}`);
  }
  const summary = summarySchema.parse(JSON.parse(readFileSync(summaryPath, 'utf8')));
  rmSync(summaryPath);
  const metric = (name: string, stat: string): number => summary.metrics[name]?.values[stat] ?? 0;

  const endpoints: PhaseResult['endpoints'] = {};
  for (const endpoint of ENDPOINTS) {
    const targetRate = rates[endpoint] ?? 0;
    if (targetRate <= 0) continue;
    const duration = `http_req_duration{endpoint:${endpoint}}`;
    const requests = metric(`http_reqs{endpoint:${endpoint}}`, 'count');
    endpoints[endpoint] = {
      targetRate,
      achievedRate: round1(requests / durationSeconds),
      requests,
      p50Ms: round2(metric(duration, 'med')),
      p95Ms: round2(metric(duration, 'p(95)')),
      p99Ms: round2(metric(duration, 'p(99)')),
      maxMs: round2(metric(duration, 'max')),
      errorRate: metric(`http_req_failed{endpoint:${endpoint}}`, 'rate'),
      droppedIterations: Math.max(0, Math.round(targetRate * durationSeconds) - requests),
    };
  }
  // Totals over the measured window; CPU per request over every request of the run (warm-up and
  // setup()'s GET /api/makes included), as the CPU time is the whole run's.
  const allRequests = metric('http_reqs', 'count');
  return {
    label,
    durationSeconds,
    endpoints,
    totalRate: round1(metric('http_reqs{window:measured}', 'count') / durationSeconds),
    totalP95Ms: round2(metric('http_req_duration{window:measured}', 'p(95)')),
    totalErrorRate: metric('http_req_failed{window:measured}', 'rate'),
    peakRssMb,
    cpuMsPerRequest: allRequests > 0 ? round2((cpuSeconds * 1000) / allRequests) : 0,
    cpuUtilisation: round2(cpuSeconds / elapsedSeconds),
    machine,
    database: database && {
      ...database,
      buffersPerRequest: allRequests > 0 ? Math.round(database.buffers / allRequests) : 0,
    },
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
