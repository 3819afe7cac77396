// Command line: `node load-tests/src/cli.ts smoke --target http://127.0.0.1:8080 --vus 2 --duration 10s`.
// Launches through the library, prints a progress line a second and the result; exit code is k6's
// (99 when thresholds fail), 1 when the launcher could not run the test, 2 on bad arguments.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCollectorEnv } from 'collector';
import { runDistributed } from './distributed.ts';
import type { RunStatusEvent } from './events.ts';
import { REPO_ROOT } from './k6-binary.ts';
import type { HistogramLayout } from './k6-process.ts';
import { createLauncher } from './launcher.ts';
import { RESULTS_USAGE, resultsCommand } from './results-cli.ts';
import type { EndedRun, RunResult } from './run-state.ts';
import { ParamValidationError, scenarios } from './scenarios.ts';

const USAGE = `usage: cli.ts <scenario> --target <base URL> [--vus N | --scale 0.001] [--duration 30s] [--segments N] [--runs-dir DIR] [--otlp host:port]
  --histograms exponential: k6 exports OTel exponential histograms (store percentiles within ≈ 1–4 %)
  --segments N runs N k6 processes (execution segments) started together; one aggregated result
  --scale multiplies the plan's VUs/rates (load, stress, spike, endurance, breakpoint); --vus is then the peak VUs
scenarios: ${Object.keys(scenarios).join(', ')}
${RESULTS_USAGE}`;

const num = (n: number | null | undefined, digits = 1): string =>
  n === null || n === undefined ? '-' : n.toFixed(digits);

function progressLine(e: RunStatusEvent, state: string): string {
  const failing = e.thresholds.filter((t) => !t.ok).map((t) => t.metric);
  return [
    `[${state}]`,
    `${e.vus} VUs`,
    `${e.httpReqs} reqs`,
    `${num(e.reqRate)} req/s`,
    `p95 ${num(e.p95Ms)} ms`,
    `errors ${num(e.errorRate * 100, 2)} %`,
    failing.length > 0 ? `thresholds failing: ${failing.join(', ')}` : 'thresholds ok',
  ].join('  ');
}

function resultText(run: EndedRun, result: RunResult | undefined): string {
  const lines = [`run ${run.id}: ${run.state}${run.state === 'finished' ? '' : ` (${run.reason})`}`];
  if (result) {
    lines.push(`  k6 exit ${result.exitCode ?? result.signal}: ${result.exitMeaning}`);
    const s = result.stats;
    if (s) {
      lines.push(
        `  ${s.httpReqs} requests (${num(s.reqRate)}/s), ${s.iterations} iterations in ${num(s.durationMs / 1000)} s`,
        `  latency ms: p50 ${num(s.p50Ms)}  p90 ${num(s.p90Ms)}  p95 ${num(s.p95Ms)}  p99 ${num(s.p99Ms)}  max ${num(s.maxMs)}`,
        `  errors ${num(s.errorRate * 100, 2)} %  checks ${num((s.checksRate ?? 0) * 100, 2)} %`,
      );
    }
    for (const e of result.perEndpoint ?? [])
      lines.push(`  ${e.name}: ${e.count} requests, p95 ${num(e.p95Ms)} ms`);
    for (const t of result.thresholds) lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.expr}`);
    lines.push(`  thresholds ${result.thresholdsPassed ? 'passed' : 'FAILED'}`);
  }
  lines.push(`  log: ${run.logPath}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const fromResults = await resultsCommand(argv);
  if (fromResults !== undefined) return fromResults;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      vus: { type: 'string' },
      scale: { type: 'string' },
      duration: { type: 'string' },
      'runs-dir': { type: 'string' },
      otlp: { type: 'string' },
      segments: { type: 'string' },
      histograms: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const scenario = positionals[0];
  if (values.help || !scenario) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  // The person at the terminal names the target; the allowlist guards the dashboard's launcher.
  const targets = values.target ? [values.target] : [];
  const runsDir = values['runs-dir'] ?? join(REPO_ROOT, '.data', 'runs');
  const params: Record<string, unknown> = { target: values.target };
  if (values.vus !== undefined) params.vus = Number(values.vus);
  if (values.scale !== undefined) params.scale = Number(values.scale);
  if (values.duration !== undefined) params.duration = values.duration;
  const histograms = values.histograms;
  if (histograms !== undefined && histograms !== 'explicit' && histograms !== 'exponential') {
    console.error(`invalid histograms: use explicit or exponential\n${USAGE}`);
    return 2;
  }
  if (values.segments !== undefined) {
    const segments = Number(values.segments);
    try {
      return await runSegmented({
        scenario,
        params,
        targets,
        runsDir,
        segments,
        otlp: values.otlp,
        histograms,
      });
    } catch (err) {
      if (err instanceof ParamValidationError)
        console.error(`invalid ${err.field}: ${err.message}\n${USAGE}`);
      else if (err instanceof RangeError) console.error(`invalid segments: ${err.message}\n${USAGE}`);
      else throw err;
      return 2;
    }
  }
  const headers = values.otlp ? otlpHeaders() : undefined;
  const launcher = createLauncher({
    targets,
    runsDir,
    ...(values.otlp ? { otlpEndpoint: values.otlp } : {}),
    ...(headers ? { otlpHeaders: headers } : {}),
    ...(histograms ? { histograms } : {}),
  });

  let run: ReturnType<typeof launcher.launch>;
  try {
    run = launcher.launch({ scenario, params, launchedBy: `cli:${process.env.USER ?? 'unknown'}` });
  } catch (err) {
    if (!(err instanceof ParamValidationError)) throw err;
    console.error(`invalid ${err.field}: ${err.message}\n${USAGE}`);
    return 2;
  }
  let state: string = run.state;
  launcher.subscribe((e) => {
    if (e.type === 'state' && e.run.id === run.id && e.run.state !== state) {
      state = e.run.state;
      console.log(`[${state}]`);
    } else if (e.type === 'status' && e.runId === run.id) console.log(progressLine(e, state));
    else if (e.type === 'log' && e.stream === 'stderr') console.error(`k6: ${e.line}`);
  });
  process.once('SIGINT', () => {
    console.error('stopping…');
    void launcher.stop(run.id);
  });

  const ended = await launcher.whenEnded(run.id);
  await launcher.close();
  console.log(resultText(ended, ended.result));
  if (ended.state === 'finished' && ended.result.thresholdsPassed) return 0;
  return ended.result?.exitCode || 1;
}

/**
 * Headers of k6's OTLP exports: the first of the collector's ingest keys (COLLECTOR_API_KEYS, read
 * as the collector reads it) when the collector asks for one.
 */
function otlpHeaders(): Record<string, string> | undefined {
  const key = parseCollectorEnv().COLLECTOR_API_KEYS[0];
  return key ? { authorization: `Bearer ${key}` } : undefined;
}

/** N k6 processes through runDistributed: per-segment exits, then the aggregated result. */
async function runSegmented(opts: {
  scenario: string;
  params: Record<string, unknown>;
  targets: string[];
  runsDir: string;
  segments: number;
  otlp: string | undefined;
  histograms: HistogramLayout | undefined;
}): Promise<number> {
  const headers = opts.otlp ? otlpHeaders() : undefined;
  const run = runDistributed({
    scenario: opts.scenario,
    params: opts.params,
    targets: opts.targets,
    segments: opts.segments,
    runsDir: opts.runsDir,
    ...(opts.otlp ? { otlpEndpoint: opts.otlp } : {}),
    ...(opts.otlp && headers ? { otlpHeaders: headers } : {}),
    ...(opts.histograms ? { histograms: opts.histograms } : {}),
    onLine: (i, stream, line) => stream === 'stderr' && console.error(`k6[${i}]: ${line}`),
  });
  console.log(`run ${run.runId}: ${opts.segments} segments, resuming together once all are up`);
  process.once('SIGINT', () => run.stop());
  const r = await run.done;
  console.log(`run ${r.runId}: ${r.state}${r.reason ? ` (${r.reason})` : ''}`);
  for (const s of r.segments)
    console.log(`  segment ${s.segment}: k6 exit ${s.exit.code}: ${s.result.exitMeaning}`);
  const a = r.aggregate;
  if (a) {
    const st = a.stats;
    console.log(
      `  ${st.httpReqs} requests (${num(st.reqRate)}/s), ${st.iterations} iterations; p95 ≤ ${num(st.p95Ms)} ms (worst segment)`,
      `\n  errors ${num(st.errorRate * 100, 2)} %`,
    );
    for (const t of a.thresholds) console.log(`  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric} ${t.expr}`);
    console.log(`  thresholds ${a.thresholdsPassed ? 'passed' : 'FAILED'}`);
  }
  if (r.state === 'finished') return a?.thresholdsPassed ? 0 : 99;
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
