// Command-line subcommands over stored runs: results, compare, export, baseline, trend. They go
// through the dashboard server's API (server-commands.ts); only with an explicit --data-dir do they
// open a copied data directory's embedded store here (offline: chDB locks a directory to one process).
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createStore, parseCollectorEnv, type Store, storeOptionsFromEnv } from 'collector';
import { z } from 'zod';
import { CLI_EXIT, HELP } from './cli-exit.ts';
import { CONNECTION_OPTIONS, withServer } from './cli-server.ts';
import { comparisonText, hasRegression, resultsText, trendLine } from './cli-text.ts';
import { clearBaseline, markBaseline } from './results/baselines.ts';
import { compareRuns } from './results/compare.ts';
import { reportHtml } from './results/report-html.ts';
import { REPORT_TABLES, reportCsv, reportJson } from './results/report-tables.ts';
import { queryRunReport } from './results/run-report.ts';
import { queryRunResults } from './results/run-results.ts';
import { scenarioTrend } from './results/trend.ts';
import { RunNotFoundError } from './run-store.ts';
import { resultsThroughServer } from './server-commands.ts';

export const RESULTS_USAGE = `       cli.ts results <runId>
       cli.ts compare <baseRunId> <candidateRunId>      (exit 1 when a figure is worse beyond noise)
       cli.ts export <runId> --format html|csv|json --out FILE [--table ${REPORT_TABLES.join('|')}]
       cli.ts baseline <runId> | baseline --clear <scenario>
       cli.ts trend <scenario>
  these go through the server (--server URL --token T, or PERF_SERVER_URL / PERF_TOKEN);
  offline, --data-dir DIR reads a copied data directory (its chdb/) instead`;

export const RESULTS_SUBCOMMANDS = ['results', 'compare', 'export', 'baseline', 'trend'] as const;
export type ResultsSubcommand = (typeof RESULTS_SUBCOMMANDS)[number];
type Subcommand = ResultsSubcommand;

const exportSchema = z.object({
  format: z.enum(['html', 'csv', 'json'], { error: 'use --format html, csv or json' }),
  out: z.string({ error: '--out FILE is required' }).min(1),
  table: z.enum(REPORT_TABLES).default('endpoints'),
});
export type ExportOptions = z.infer<typeof exportSchema>;

/** A copied data directory's store, opened in this process (offline use only). */
async function openCopiedStore(dataDir: string): Promise<Store> {
  return createStore({ ...storeOptionsFromEnv(parseCollectorEnv({ DATA_DIR: dataDir })), url: undefined });
}

/** Runs a results subcommand; undefined when argv does not start with one. */
export async function resultsCommand(argv: string[]): Promise<number | undefined> {
  const sub = RESULTS_SUBCOMMANDS.find((s) => s === argv[0]);
  if (!sub) return undefined;
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      clear: { type: 'boolean' },
      ...CONNECTION_OPTIONS,
    },
  });
  const needed = sub === 'compare' ? 2 : 1;
  if (positionals.length !== needed) {
    console.error(`${sub}: expected ${needed} argument(s) ${HELP}`);
    return CLI_EXIT.usage;
  }
  const exportOpts = sub === 'export' ? exportSchema.safeParse(values) : undefined;
  if (exportOpts && !exportOpts.success) {
    console.error(`export: ${exportOpts.error.issues.map((i) => i.message).join('; ')}`);
    return CLI_EXIT.usage;
  }
  const clear = values.clear === true;
  const dataDir = values['data-dir'];
  if (dataDir === undefined) {
    return withServer(values, (api) =>
      resultsThroughServer(api, sub, positionals, { clear, export: exportOpts?.data }),
    );
  }
  const store = await openCopiedStore(dataDir).catch((error: Error) => error);
  if (store instanceof Error) {
    console.error(`cannot open ${dataDir}: ${store.message.split('\n')[0]}`);
    return CLI_EXIT.server;
  }
  try {
    return await run(sub, store, positionals, clear, exportOpts?.data);
  } catch (err) {
    if (err instanceof RunNotFoundError) {
      console.error(err.message);
      return CLI_EXIT.notFound;
    }
    if (err instanceof z.ZodError || (err as Error).name === 'BaselineError') {
      console.error((err as Error).message);
      return CLI_EXIT.usage;
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
  exportOpts: ExportOptions | undefined,
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
      return hasRegression(c) ? CLI_EXIT.failed : CLI_EXIT.ok;
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
      for (const p of await scenarioTrend(store.client, first)) console.log(trendLine(p));
      return 0;
    default: {
      const unknown: never = sub;
      throw new Error(`unknown subcommand ${String(unknown)}`);
    }
  }
}
