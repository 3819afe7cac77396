// Dashboard quality-bar benchmark (issue 7): fills a fresh embedded store with `--hours` of
// realistic telemetry and `--spans` spans (generate.ts), starts the real dashboard over it, times
// the Overview's API (first snapshot of each subscription, sequential and concurrent) against a
// same-run reference query — once with every snapshot computed fresh for its caller, once shared
// as the product serves it — and runs Lighthouse on the signed-in Overview page. Prints a table
// (figure, target, PASS/FAIL) and writes bench/results/dashboard-<timestamp>.json.
// Run: npm run bench:dashboard -- [--hours 24] [--spans 10000000] [--n 40] [--concurrency 4]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  EXTRA_CALLS,
  type LatencyFigure,
  measure,
  OVERVIEW_CALLS,
  type OverviewCall,
  REFERENCE_CALL,
  summarise,
  timeCall,
} from './api-latency.ts';
import { ensureBuilt, REPO_ROOT, type RunningDashboard, startDashboard } from './dashboard-process.ts';
import type { GenerateResult } from './generate.ts';
import { type LighthouseFigures, runLighthouse } from './lighthouse.ts';

const USAGE = `usage: npm run bench:dashboard -- [options]
  --hours H          hours of telemetry to generate (default 24)
  --spans N          spans in otel_traces (default 10000000)
  --n N              calls per Overview query and mode (default 40)
  --concurrency C    parallel callers in the concurrent mode (default 4)
  --preset P         Lighthouse preset: desktop | mobile (default desktop)
  --skip-lighthouse  only the data generation and the API latency
  --keep             keep the generated store (its directory is printed)`;

const optionsSchema = z.strictObject({
  hours: z.coerce.number().positive().max(168).default(24),
  spans: z.coerce.number().int().min(0).max(100_000_000).default(10_000_000),
  n: z.coerce.number().int().min(5).max(1000).default(40),
  concurrency: z.coerce.number().int().min(2).max(32).default(4),
  preset: z.enum(['desktop', 'mobile']).default('desktop'),
  'skip-lighthouse': z.boolean().default(false),
  keep: z.boolean().default(false),
  help: z.boolean().default(false),
});

const API_P95_TARGET_MS = 100;
const GENERATE_TIMEOUT_MS = 60 * 60_000;
const API_PHASE_MS = 12 * 60_000;
/** No one query may use more than this share of the API phase (slow ones report fewer calls). */
const PER_CALL_MS = 60_000;
const started = Date.now();
const log = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

function parseOptions() {
  const { values } = parseArgs({
    options: {
      hours: { type: 'string' },
      spans: { type: 'string' },
      n: { type: 'string' },
      concurrency: { type: 'string' },
      preset: { type: 'string' },
      'skip-lighthouse': { type: 'boolean' },
      keep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
    console.error(USAGE);
    process.exit(2);
  }
  if (parsed.data.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return parsed.data;
}

/** generate.ts in its own process: chDB locks a data directory to the process that opened it. */
async function generateStore(storeDir: string, hours: number, spans: number): Promise<GenerateResult> {
  const child = spawn(
    join(REPO_ROOT, 'node_modules', '.bin', 'node'),
    [
      'bench/dashboard/generate.ts',
      '--data-dir',
      storeDir,
      '--hours',
      String(hours),
      '--spans',
      String(spans),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), GENERATE_TIMEOUT_MS);
  let result: GenerateResult | undefined;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as GenerateResult;
    else log(line);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  if (code !== 0 || !result) throw new Error(`generate.ts failed (exit ${code})`);
  return result;
}

type Row = { figure: string; value: string; target: string; pass: boolean | null };

function printTable(rows: Row[]): void {
  const widths = [0, 1, 2].map((i) =>
    Math.max(
      ...rows.map((r) => [r.figure, r.value, r.target][i]?.length ?? 0),
      ['figure', 'value', 'target'][i]?.length ?? 0,
    ),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${line(['figure', 'value', 'target'])}  result`);
  for (const r of rows) {
    console.log(
      `${line([r.figure, r.value, r.target])}  ${r.pass === null ? '—' : r.pass ? 'PASS' : 'FAIL'}`,
    );
  }
}

/** Times the reference and every API call, one caller after another and then concurrently. */
async function measureApi(running: RunningDashboard, snapshots: 'fresh' | 'shared'): Promise<void> {
  const { url, cookie } = running;
  const calls = [...OVERVIEW_CALLS, ...EXTRA_CALLS];
  // First calls warm the server (JIT, connections); they are not counted.
  for (const call of [REFERENCE_CALL, ...calls]) await timeCall(url, cookie, call, 60_000);
  const deadline = Date.now() + API_PHASE_MS;
  for (const [mode, concurrency] of [
    ['sequential', 1],
    [`concurrency ${options.concurrency}`, options.concurrency],
  ] as const) {
    const label = `${snapshots}, ${mode}`;
    const timed = async (call: OverviewCall) =>
      summarise(
        call.name,
        label,
        await measure(
          url,
          cookie,
          call,
          options.n,
          concurrency,
          Math.min(deadline, Date.now() + PER_CALL_MS),
        ),
      );
    const reference = await timed(REFERENCE_CALL);
    latency.push(reference);
    for (const call of calls) {
      const figure = await timed(call);
      figure.p95Ratio = reference.p95 > 0 ? Math.round((figure.p95 / reference.p95) * 10) / 10 : null;
      latency.push(figure);
      log(
        `api: ${call.name} (${label}) p50 ${figure.p50} ms, p95 ${figure.p95} ms, max ${figure.max} ms, n=${figure.n}`,
      );
    }
  }
}

const options = parseOptions();
const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
const rows: Row[] = [];
let generated: GenerateResult | undefined;
const latency: LatencyFigure[] = [];
let lighthouse: LighthouseFigures | undefined;
let failure: string | undefined;
let dashboard: RunningDashboard | undefined;
const loadAverages: Partial<Record<'fresh' | 'shared', number[]>> = {};

try {
  await ensureBuilt(log);
  log(`generating ${options.hours} h of telemetry and ${options.spans} spans into ${dir}`);
  generated = await generateStore(join(dir, 'chdb'), options.hours, options.spans);
  for (const t of generated.tables) {
    rows.push({
      figure: `insert ${t.table}`,
      value: `${t.rows} rows, ${Math.round(t.rowsPerSec)} rows/s`,
      target: '—',
      pass: null,
    });
  }
  for (const p of generated.storeProbe) {
    rows.push({
      figure: `store: ${p.query}`,
      value: `${p.p50} ms p50, ${p.p95} ms p95`,
      target: '—',
      pass: null,
    });
  }
  log(
    `generated ${generated.totalRows} rows in ${generated.totalSeconds.toFixed(1)} s; rollups ${JSON.stringify(generated.rollups)}`,
  );

  // Fresh: every viewer computes its own snapshot (LIVE_SNAPSHOTS=fresh), so each call pays
  // the full store reads, as the first viewer after an interval would without sharing.
  // Shared: the product's default, where viewers get the snapshot computed (and refreshed ahead
  // of expiry) for everyone. Both are reported; the fresh figures are what a snapshot costs.
  for (const snapshots of ['fresh', 'shared'] as const) {
    dashboard = await startDashboard(dir, log, { LIVE_SNAPSHOTS: snapshots });
    loadAverages[snapshots] = loadavg().map((l) => Math.round(l * 100) / 100);
    log(`api (${snapshots}): load average ${loadAverages[snapshots].join(' ')}`);
    await measureApi(dashboard, snapshots);
    if (snapshots === 'fresh') {
      await dashboard.stop();
      dashboard = undefined;
    }
  }
  for (const f of latency) {
    const isReference = f.name === REFERENCE_CALL.name;
    const counted = !isReference && OVERVIEW_CALLS.some((c) => c.name === f.name);
    rows.push({
      figure: `${f.name} p95 (${f.mode})`,
      value: `${f.p95} ms (p50 ${f.p50}, max ${f.max}, n ${f.n}${f.p95Ratio === null ? '' : `, ×${f.p95Ratio} ref`}${f.errors.length ? `, ${f.errors.length}+ errors` : ''})`,
      target: counted ? `< ${API_P95_TARGET_MS} ms` : '—',
      pass: counted ? f.n >= 5 && f.errors.length === 0 && f.p95 < API_P95_TARGET_MS : null,
    });
  }
  rows.push({
    figure: 'load average (1, 5, 15 min) at fresh / shared start',
    value: `${loadAverages.fresh?.join(' ')} / ${loadAverages.shared?.join(' ')}`,
    target: '—',
    pass: null,
  });
  const url = dashboard?.url ?? '';
  const cookie = dashboard?.cookie ?? '';

  if (!options['skip-lighthouse']) {
    log(`lighthouse: ${url}/ (${options.preset})`);
    if (!dashboard) throw new Error('the shared dashboard is not running');
    lighthouse = await runLighthouse(`${url}/`, cookie, options.preset);
    const lh = lighthouse;
    rows.push(
      {
        figure: `Lighthouse performance (${lh.preset})`,
        value: String(lh.performance),
        target: '≥ 95',
        pass: (lh.performance ?? 0) >= 95,
      },
      {
        figure: 'Lighthouse accessibility',
        value: String(lh.accessibility),
        target: '≥ 95',
        pass: (lh.accessibility ?? 0) >= 95,
      },
      {
        figure: 'First Contentful Paint',
        value: `${Math.round(lh.fcpMs ?? 0)} ms`,
        target: '< 1000 ms',
        pass: lh.fcpMs !== null && lh.fcpMs < 1000,
      },
      {
        figure: 'Largest Contentful Paint',
        value: `${Math.round(lh.lcpMs ?? 0)} ms`,
        target: '—',
        pass: null,
      },
      { figure: 'Total Blocking Time', value: `${Math.round(lh.tbtMs ?? 0)} ms`, target: '—', pass: null },
    );
    const d = lh.diagnostics;
    log(
      `lighthouse: main thread ${d.mainThreadMs} ms, script boot-up ${d.bootupMs} ms, ${d.totalBytes} bytes`,
    );
    log(`lighthouse: LCP element ${d.lcpElement}; slowest scripts ${JSON.stringify(d.slowestScripts)}`);
    if (lh.failedAccessibility.length)
      log(`lighthouse: failed accessibility audits: ${lh.failedAccessibility.join(', ')}`);
    for (const w of lh.warnings) log(`lighthouse warning: ${w}`);
  }
} catch (error) {
  failure = (error as Error).message;
  console.error(`bench failed: ${failure}`);
} finally {
  await dashboard?.stop();
  if (options.keep) log(`kept the store: DATA_DIR=${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

printTable(rows);
const resultsDir = join(REPO_ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `dashboard-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ options, targets: { apiP95Ms: API_P95_TARGET_MS, lighthouse: 95, fcpMs: 1000 }, loadAverages, generated, latency, lighthouse, rows, failure }, null, 2)}\n`,
);
console.log(`\nresults: ${file}`);
process.exit(failure ? 1 : 0);
