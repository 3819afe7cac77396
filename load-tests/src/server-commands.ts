// The CLI's commands through the dashboard server (`--server URL --token T`, or PERF_SERVER_URL /
// PERF_TOKEN): `run` launches on the server — so the run is recorded and shown in the UI — and
// follows it; status, results, compare, export, trend and baseline read (or mark) through the API
// with the token's role. Errors are one line; exit codes are CLI_EXIT's.
import { writeFile } from 'node:fs/promises';
import { CLI_EXIT } from './cli-exit.ts';
import {
  comparisonText,
  hasRegression,
  progressLine,
  resultsText,
  runResultLines,
  trendLine,
} from './cli-text.ts';
import type { ExportOptions, ResultsSubcommand } from './results-cli.ts';
import type { RunState } from './run-state.ts';
import { isTerminal } from './run-state.ts';
import { ANSWERS, type ServerRun } from './server-answers.ts';
import type { ServerClient, ServerConnection } from './server-client.ts';

// Every request with a token is an audit-log row (a store insert): a poll every 2 s, not every 1 s.
const POLL_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const runLine = (r: ServerRun) =>
  `${r.id}  ${r.state}${r.reason ? ` (${r.reason})` : ''}  ${r.scenario}  ${r.target}  by ${r.launchedBy}  ${new Date(r.createdAt).toISOString()}`;

export interface LaunchRequest {
  scenario: string;
  params: Record<string, unknown>;
  wait: boolean;
  /** The CI gate: judges the ended run (thresholds, baseline) and gives the exit code instead. */
  judge?: (run: ServerRun) => Promise<number>;
}

/** Launches on the server and, with `wait`, follows the run to its end (Ctrl-C asks the server to stop it). */
export async function runThroughServer(
  api: ServerClient,
  connection: ServerConnection,
  request: LaunchRequest,
): Promise<number> {
  const params = { ...request.params };
  if (params.target === undefined) {
    // The server's own target (TARGET_URL) unless one is named: the server checks its allowlist.
    const { targets } = await api.query('runs.catalogue', ANSWERS.catalogue);
    params.target = targets[0];
  }
  const launched = await api.mutation('runs.launch', ANSWERS.run, { scenario: request.scenario, params });
  console.log(
    `run ${launched.id}: ${launched.state} on ${connection.url} (${connection.url}/runs/${launched.id})`,
  );
  if (!request.wait) return CLI_EXIT.ok;

  let stopping = false;
  const onInterrupt = () => {
    if (stopping) return;
    stopping = true;
    console.error('stopping…');
    api
      .mutation('runs.stop', ANSWERS.any, { id: launched.id })
      .catch((error: Error) => console.error(error.message));
  };
  process.on('SIGINT', onInterrupt);
  try {
    let state: RunState = launched.state;
    let liveAt = 0;
    for (;;) {
      const run = await api.query('runs.get', ANSWERS.run, { id: launched.id });
      if (run.state !== state) {
        state = run.state;
        console.log(`[${state}]`);
      }
      if (run.live && run.live.at !== liveAt && !isTerminal(run.state)) {
        liveAt = run.live.at;
        console.log(progressLine(run.live, run.state));
      }
      if (isTerminal(run.state)) {
        console.log(`run ${run.id}: ${run.state}${run.reason ? ` (${run.reason})` : ''}`);
        if (run.result) console.log(runResultLines(run.result).join('\n'));
        if (request.judge) return await request.judge(run);
        return run.state === 'finished' && run.result?.thresholdsPassed ? CLI_EXIT.ok : CLI_EXIT.failed;
      }
      await sleep(POLL_MS);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** `status` (recent runs) or `status <runId>` (one run, its live figures or its result). */
export async function statusThroughServer(api: ServerClient, runId: string | undefined): Promise<number> {
  if (runId === undefined) {
    const { runs, storeError } = await api.query('runs.list', ANSWERS.runList);
    if (storeError) console.error(storeError);
    for (const r of runs) console.log(runLine(r));
    if (runs.length === 0) console.log('no runs yet');
    return CLI_EXIT.ok;
  }
  const run = await api.query('runs.get', ANSWERS.run, { id: runId });
  console.log(runLine(run));
  if (run.live && !isTerminal(run.state)) console.log(progressLine(run.live, run.state));
  if (run.result) console.log(runResultLines(run.result).join('\n'));
  return CLI_EXIT.ok;
}

/** The stored-run subcommands, answered by the server's report procedures and export route. */
export async function resultsThroughServer(
  api: ServerClient,
  sub: ResultsSubcommand,
  args: string[],
  opts: { clear: boolean; export: ExportOptions | undefined },
): Promise<number> {
  const [first = '', second = ''] = args;
  switch (sub) {
    case 'results': {
      const { report } = await api.query('reports.run', ANSWERS.report, { id: first });
      console.log(resultsText(report.results));
      return CLI_EXIT.ok;
    }
    case 'compare': {
      const { comparison } = await api.query('reports.compare', ANSWERS.comparison, {
        base: first,
        candidate: second,
      });
      console.log(comparisonText(comparison));
      return hasRegression(comparison) ? CLI_EXIT.failed : CLI_EXIT.ok;
    }
    case 'export': {
      const o = opts.export;
      if (!o) throw new Error('export options missing');
      const query = new URLSearchParams({ format: o.format, table: o.table });
      const text = await api.download(`/api/runs/${encodeURIComponent(first)}/export?${query}`);
      await writeFile(o.out, text);
      console.log(`wrote ${o.out} (${o.format}${o.format === 'csv' ? `, table ${o.table}` : ''})`);
      return CLI_EXIT.ok;
    }
    case 'trend': {
      for (const p of await api.query('reports.trend', ANSWERS.trend, { scenario: first }))
        console.log(trendLine(p));
      return CLI_EXIT.ok;
    }
    case 'baseline': {
      if (opts.clear) {
        await api.mutation('reports.clearBaseline', ANSWERS.any, { scenario: first });
        console.log(`baseline of ${first} cleared`);
        return CLI_EXIT.ok;
      }
      const b = await api.mutation('reports.markBaseline', ANSWERS.baseline, {
        id: first,
      });
      console.log(`run ${b.runId} is now the baseline of ${b.scenario}`);
      return CLI_EXIT.ok;
    }
    default: {
      const unknown: never = sub;
      throw new Error(`unknown subcommand ${String(unknown)}`);
    }
  }
}
