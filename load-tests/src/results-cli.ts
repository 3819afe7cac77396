// Command-line subcommands over stored runs: results, compare, export, baseline, trend. They open
// the store the dashboard uses (CLICKHOUSE_URL, or embedded chDB in DATA_DIR/chdb — which only
// one process can hold, so with the dashboard running in embedded mode, stop it or use a server).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createStore, parseCollectorEnv, type Store, storeOptionsFromEnv } from 'collector';
import { z } from 'zod';
import { clearBaseline, markBaseline } from './results/baselines.ts';
import {
  type Change,
  compareRuns,
  type Delta,
  type EndpointDelta,
  MIN_REQUESTS_TO_JUDGE,
  type RunComparison,
} from './results/compare.ts';
import { reportHtml } from './results/report-html.ts';
import { REPORT_TABLES, reportCsv, reportJson } from './results/report-tables.ts';
import { queryRunReport } from './results/run-report.ts';
import { queryRunResults, type RunResults } from './results/run-results.ts';
import { scenarioTrend } from './results/trend.ts';
import { RunNotFoundError } from './run-store.ts';

export const RESULTS_USAGE = `       cli.ts results <runId>
       cli.ts compare <baseRunId> <candidateRunId>
       cli.ts export <runId> --format html|csv|json --out FILE [--table ${REPORT_TABLES.join('|')}]
       cli.ts baseline <runId> | baseline --clear <scenario>
       cli.ts trend <scenario>
  (these read the store: CLICKHOUSE_URL, else embedded chDB in DATA_DIR/chdb)`;

const SUBCOMMANDS = ['results', 'compare', 'export', 'baseline', 'trend'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const exportSchema = z.object({
  format: z.enum(['html', 'csv', 'json'], { error: 'use --format html, csv or json' }),
  out: z.string({ error: '--out FILE is required' }).min(1),
  table: z.enum(REPORT_TABLES).default('endpoints'),
});

const f = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? '-' : n.toFixed(digits);
const pct = (n: number | null) => (n === null ? '-' : `${(n * 100).toFixed(2)} %`);

function resultsText(r: RunResults): string {
  const t = r.totals;
  const lines = [
    `run ${r.runId}: ${r.scenario}, ${r.state}, ${f(r.durationSec)} s (percentiles from ${r.histogram} histograms)`,
    `  ${t.requests} requests (${f(t.ratePerSec)}/s), ${t.iterations} iterations, errors ${pct(t.errorRate)}`,
    `  latency ms: p50 ${f(t.latency.p50Ms)}  p90 ${f(t.latency.p90Ms)}  p95 ${f(t.latency.p95Ms)}  p99 ${f(t.latency.p99Ms)}  max ${f(t.latency.maxMs)}`,
    `  data sent ${t.dataSentBytes} B, received ${t.dataReceivedBytes} B`,
  ];
  for (const e of r.endpoints)
    lines.push(
      `  ${e.name}: ${e.requests} req (${f(e.ratePerSec)}/s), errors ${pct(e.errorRate)}, p50 ${f(e.latency.p50Ms)} p95 ${f(e.latency.p95Ms)} p99 ${f(e.latency.p99Ms)} max ${f(e.latency.maxMs)} ms`,
    );
  for (const e of r.errorsByStatus) lines.push(`  error ${e.status} on ${e.name}: ${e.count}`);
  for (const c of r.checks.filter((c) => c.fails > 0)) lines.push(`  check failed ${c.fails}×: ${c.name}`);
  for (const th of r.thresholds) lines.push(`  ${th.ok ? 'ok  ' : 'FAIL'} ${th.metric} ${th.expr}`);
  if (r.server)
    lines.push(
      `  target (${r.server.service}): ${r.server.requests} requests, p95 ${f(r.server.p95Ms)} ms, 5xx ${pct(r.server.errorRate)}`,
    );
  return lines.join('\n');
}

// ▲ a rise, ▼ a fall; WORSE / better says which way that is for this figure.
const deltaText = (d: Delta, digits = 1) =>
  `${f(d.base, digits)} → ${f(d.candidate, digits)}${d.deltaPct === null ? '' : ` (${d.deltaPct >= 0 ? '+' : ''}${d.deltaPct.toFixed(1)} %)`}${d.significant ? ` ${d.candidate! > d.base! ? '▲' : '▼'} ${d.regression ? 'WORSE' : 'better'}` : ''}`;

const judgedText = (e: EndpointDelta) =>
  e.judged || e.requests.base === null || e.requests.candidate === null
    ? ''
    : ` — too few requests to judge (${e.requests.base} and ${e.requests.candidate}; at least ${MIN_REQUESTS_TO_JUDGE} each)`;

const METRIC_NAMES: Record<Change['metric'], string> = {
  p50Ms: 'p50',
  p95Ms: 'p95',
  p99Ms: 'p99',
  ratePerSec: 'rate',
  errorRate: 'errors',
};

function comparisonText(c: RunComparison): string {
  const n = c.noise;
  const lines = [
    `compare ${c.base.runId} (base) → ${c.candidate.runId} (candidate)`,
    `  noise band: latency ±${n.latencyPct.toFixed(1)} %, rate ±${n.ratePct.toFixed(1)} %, errors ±${(n.errorRateAbs * 100).toFixed(2)} pp (${n.source === 'history' ? `from ${n.runs} earlier comparable runs` : 'fixed: fewer than 3 comparable runs'})`,
  ];
  lines.push(c.biggestChanges.length > 0 ? '  what changed most:' : '  nothing changed beyond noise');
  for (const ch of c.biggestChanges)
    lines.push(
      `    ${ch.endpoint} ${METRIC_NAMES[ch.metric]} ${deltaText(ch.delta, ch.metric === 'errorRate' ? 4 : 1)}`,
    );
  for (const e of [c.totals, ...c.endpoints])
    lines.push(
      `  ${e.name}${judgedText(e)}`,
      `    p50 ${deltaText(e.p50Ms)}  p95 ${deltaText(e.p95Ms)}  p99 ${deltaText(e.p99Ms)}`,
      `    rate ${deltaText(e.ratePerSec)}  errors ${deltaText(e.errorRate, 4)}`,
    );
  const ok = (v: boolean | null) => (v === null ? '-' : v ? 'ok' : 'FAIL');
  for (const t of c.thresholds)
    lines.push(`  threshold ${t.metric} ${t.expr}: ${ok(t.base)} → ${ok(t.candidate)}`);
  // The dashboard's verdict: ranked figures of judged rows (p90 and max are shown, not counted).
  const worse = c.changes.filter((ch) => ch.worse).length;
  lines.push(`  ${worse} figure(s) worse, ${c.changes.length - worse} better beyond noise`);
  return lines.join('\n');
}

/** The store as the collector and the dashboard open it, from the same variables. */
async function openStore(): Promise<Store> {
  return createStore(storeOptionsFromEnv(parseCollectorEnv()));
}

/** Runs a results subcommand; undefined when argv does not start with one. */
export async function resultsCommand(argv: string[]): Promise<number | undefined> {
  const sub = SUBCOMMANDS.find((s) => s === argv[0]);
  if (!sub) return undefined;
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      clear: { type: 'boolean' },
    },
  });
  const needed = sub === 'compare' ? 2 : 1;
  if (positionals.length !== needed) {
    console.error(`${sub}: expected ${needed} argument(s)\nusage: ${RESULTS_USAGE.trimStart()}`);
    return 2;
  }
  const exportOpts = sub === 'export' ? exportSchema.safeParse(values) : undefined;
  if (exportOpts && !exportOpts.success) {
    console.error(`export: ${exportOpts.error.issues.map((i) => i.message).join('; ')}`);
    return 2;
  }
  const store = await openStore();
  try {
    return await run(sub, store, positionals, values.clear === true, exportOpts?.data);
  } catch (err) {
    if (
      err instanceof RunNotFoundError ||
      err instanceof z.ZodError ||
      (err as Error).name === 'BaselineError'
    ) {
      console.error((err as Error).message);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

async function run(
  sub: Subcommand,
  store: Store,
  args: string[],
  clear: boolean,
  exportOpts: z.infer<typeof exportSchema> | undefined,
): Promise<number> {
  const [first = '', second = ''] = args;
  const by = `cli:${process.env.USER ?? 'unknown'}`;
  switch (sub) {
    case 'results':
      console.log(resultsText(await queryRunResults(store.client, first)));
      return 0;
    case 'compare': {
      const c = await compareRuns(store.client, first, second);
      console.log(comparisonText(c));
      return 0;
    }
    case 'export': {
      const o = exportOpts!;
      const report = await queryRunReport(store.client, first);
      const text =
        o.format === 'html'
          ? reportHtml(report)
          : o.format === 'csv'
            ? reportCsv(report, o.table)
            : reportJson(report);
      await writeFile(o.out, text);
      console.log(`wrote ${o.out} (${o.format}${o.format === 'csv' ? `, table ${o.table}` : ''})`);
      return 0;
    }
    case 'baseline':
      if (clear) {
        await clearBaseline(store.client, { scenario: first, markedBy: by });
        console.log(`baseline of ${first} cleared`);
      } else {
        const b = await markBaseline(store.client, { runId: first, markedBy: by });
        console.log(`run ${b.runId} is now the baseline of ${b.scenario}`);
      }
      return 0;
    case 'trend':
      for (const p of await scenarioTrend(store.client, first))
        console.log(
          `${new Date(p.createdAt).toISOString()} ${p.runId} ${p.state}${p.isBaseline ? ' (baseline)' : ''}: ${p.requests ?? '-'} req, ${f(p.reqRate)}/s, p95 ${f(p.p95Ms)} ms, errors ${pct(p.errorRate)}, thresholds ${p.thresholdsPassed === null ? '-' : p.thresholdsPassed ? 'passed' : 'FAILED'}`,
        );
      return 0;
    default: {
      const unknown: never = sub;
      throw new Error(`unknown subcommand ${String(unknown)}`);
    }
  }
}
