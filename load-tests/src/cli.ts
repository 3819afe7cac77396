// Command line. Through the dashboard server (cli-server.ts): `run <scenario>`, `status`, and the
// stored-run subcommands (results-cli.ts) — recorded, shown in the UI, exit codes in cli-exit.ts.
// Offline, `cli.ts smoke --target URL …` runs k6 here through the library (recorded nowhere; the
// exit code is k6's, 99 when thresholds fail, 1 when the launcher could not run it, 2 on bad arguments).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCollectorEnv } from 'collector';
import { CLI_EXIT, HELP } from './cli-exit.ts';
import { LAUNCH_OPTIONS, launchParams, SERVER_USAGE, serverCommand } from './cli-server.ts';
import { num, progressLine, runResultLines } from './cli-text.ts';
import { runDistributed } from './distributed.ts';
import { EXPERIMENT_USAGE, experimentCommand } from './experiments/experiment-cli.ts';
import { EXPERIMENT_SERVER_USAGE, experimentServerCommand } from './experiments/experiment-server-cli.ts';
import { REPO_ROOT } from './k6-binary.ts';
import type { HistogramLayout } from './k6-process.ts';
import { createLauncher } from './launcher.ts';
import { RECEIVERS_USAGE, receiversCommand } from './receivers-cli.ts';
import { RESULTS_USAGE, resultsCommand } from './results-cli.ts';
import type { EndedRun, RunResult } from './run-state.ts';
import { ParamValidationError, scenarios } from './scenarios.ts';
import { SCHEDULES_USAGE, schedulesCommand } from './schedule-cli.ts';
import { USERS_USAGE, usersCommand } from './users-cli.ts';

const USAGE = `usage: ${SERVER_USAGE.trimStart()}
${RESULTS_USAGE}
${SCHEDULES_USAGE}
${RECEIVERS_USAGE}
${USERS_USAGE}
${EXPERIMENT_USAGE}
${EXPERIMENT_SERVER_USAGE}
offline (k6 on this machine, recorded nowhere):
       cli.ts <scenario> --target <base URL> [--vus N | --scale 0.001] [--duration 30s] [--segments N] [--runs-dir DIR] [--otlp host:port]
  --histograms exponential: k6 exports OTel exponential histograms (store percentiles within ≈ 1–4 %)
  --segments N runs N k6 processes (execution segments) started together; one aggregated result
  --scale multiplies the plan's VUs/rates (load, stress, spike, endurance, breakpoint); --vus is then the peak VUs
scenarios: ${Object.keys(scenarios).join(', ')}`;

/** The offline form records nothing: say how to run it through the dashboard instead. */
const OFFLINE_NOTE = (scenario: string) =>
  `note: k6 runs on this machine and the run is recorded nowhere; \`cli.ts run ${scenario} …\` with --server/--token (or PERF_SERVER_URL/PERF_TOKEN) runs it through the dashboard`;

function resultText(run: EndedRun, result: RunResult | undefined): string {
  const lines = [`run ${run.id}: ${run.state}${run.state === 'finished' ? '' : ` (${run.reason})`}`];
  if (result) lines.push(...runResultLines(result));
  lines.push(`  log: ${run.logPath}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const fromServer = await serverCommand(argv);
  if (fromServer !== undefined) return fromServer;
  const fromResults = await resultsCommand(argv);
  if (fromResults !== undefined) return fromResults;
  const fromExperimentServer = await experimentServerCommand(argv);
  if (fromExperimentServer !== undefined) return fromExperimentServer;
  const fromExperiment = await experimentCommand(argv);
  if (fromExperiment !== undefined) return fromExperiment;
  const fromSchedules = await schedulesCommand(argv);
  if (fromSchedules !== undefined) return fromSchedules;
  const fromReceivers = await receiversCommand(argv);
  if (fromReceivers !== undefined) return fromReceivers;
  const fromUsers = await usersCommand(argv);
  if (fromUsers !== undefined) return fromUsers;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...LAUNCH_OPTIONS,
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
  const params = launchParams(values);
  const histograms = values.histograms;
  if (histograms !== undefined && histograms !== 'explicit' && histograms !== 'exponential') {
    console.error(`invalid histograms: use explicit or exponential ${HELP}`);
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
      if (err instanceof ParamValidationError) console.error(`invalid ${err.field}: ${err.message} ${HELP}`);
      else if (err instanceof RangeError) console.error(`invalid segments: ${err.message} ${HELP}`);
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
    console.error(`invalid ${err.field}: ${err.message} ${HELP}`);
    return 2;
  }
  console.error(OFFLINE_NOTE(scenario));
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
  console.error(OFFLINE_NOTE(opts.scenario));
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

/** Bad flags are usage errors (2); anything else unexpected is still one line (1). */
function exitOnError(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    console.error(`${(error as Error).message} ${HELP}`);
    return CLI_EXIT.usage;
  }
  console.error(`error: ${String((error as Error).message ?? error).split('\n')[0]}`);
  return CLI_EXIT.failed;
}

process.exitCode = await main(process.argv.slice(2)).catch(exitOnError);
