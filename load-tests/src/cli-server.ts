// The CLI's way to the dashboard server: the connection flags every server command takes, and
// `run` / `status` (the commands that exist only through the server). The stored-run subcommands
// live in results-cli.ts; what each command asks the server is in server-commands.ts.
import { parseArgs } from 'node:util';
import { GATE_OPTIONS, type GateOptions, gateOptions, judgeRun, resolveBaseline } from './ci-gate.ts';
import { CLI_EXIT, HELP } from './cli-exit.ts';
import { env } from './env.ts';
import { notJudged, writeGateReports } from './gate-report.ts';
import type { ServerRun } from './server-answers.ts';
import {
  createServerClient,
  type ServerClient,
  type ServerConnection,
  ServerError,
  serverConnection,
} from './server-client.ts';
import { runThroughServer, statusThroughServer } from './server-commands.ts';

export const CONNECTION_OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/** A run's parameters as flags, the same for a run on the server and an offline one. */
export const LAUNCH_OPTIONS = {
  target: { type: 'string' },
  vus: { type: 'string' },
  scale: { type: 'string' },
  duration: { type: 'string' },
} as const;

/** The launcher's params from LAUNCH_OPTIONS' flags (it validates them and names a bad field). */
export function launchParams(values: {
  target?: string | undefined;
  vus?: string | undefined;
  scale?: string | undefined;
  duration?: string | undefined;
}): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (values.target !== undefined) params.target = values.target;
  if (values.vus !== undefined) params.vus = Number(values.vus);
  if (values.scale !== undefined) params.scale = Number(values.scale);
  if (values.duration !== undefined) params.duration = values.duration;
  return params;
}

export const SERVER_USAGE = `       cli.ts run <scenario> [--target URL] [--vus N | --scale X] [--duration 30s] [--no-wait]
       cli.ts status [runId]
       cli.ts run <scenario> --wait --baseline <runId | latest-baseline> [--fail-on thresholds,regression] [--junit FILE] [--summary FILE]
  the CI gate: exit 1 when a selected check fails (a threshold; a figure worse than the baseline beyond noise)
  with --server URL --token T (or PERF_SERVER_URL / PERF_TOKEN); the run is launched and recorded by
  the server, shown in its UI, and followed here until it ends (Ctrl-C stops it on the server)
  exit codes: 0 ok, 1 run failed / thresholds failed / regression, 2 usage, 3 server or auth error, 4 not found`;

const NO_SERVER =
  'no server: pass --server URL --token T (or set PERF_SERVER_URL and PERF_TOKEN); offline, --data-dir DIR reads a copied data directory';

/** Runs `fn` against the server named by the flags or the environment; one line and an exit code on failure. */
export async function withServer(
  flags: { server?: string | undefined; token?: string | undefined },
  fn: (api: ServerClient, connection: ServerConnection) => Promise<number>,
): Promise<number> {
  try {
    const connection = serverConnection(flags, env);
    if (!connection) {
      console.error(NO_SERVER);
      return CLI_EXIT.usage;
    }
    return await fn(createServerClient(connection), connection);
  } catch (error) {
    if (error instanceof ServerError) {
      console.error(error.message);
      return error.exitCode;
    }
    throw error;
  }
}

/** `run …` and `status …`; undefined when argv starts with neither. */
export async function serverCommand(argv: string[]): Promise<number | undefined> {
  const sub = argv[0];
  if (sub !== 'run' && sub !== 'status') return undefined;
  let parsed: ReturnType<typeof parseRunArgs>;
  try {
    parsed = parseRunArgs(argv.slice(1));
  } catch (error) {
    console.error(`${sub}: ${(error as Error).message} ${HELP}`);
    return CLI_EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (sub === 'status') {
    if (positionals.length > 1) {
      console.error(`status: at most one run id ${HELP}`);
      return CLI_EXIT.usage;
    }
    return withServer(values, (api) => statusThroughServer(api, positionals[0]));
  }
  const scenario = positionals[0];
  if (!scenario || positionals.length > 1) {
    console.error(`run: name one scenario ${HELP}`);
    return CLI_EXIT.usage;
  }
  let gate: GateOptions | undefined;
  try {
    gate = gateOptions(values);
  } catch (error) {
    console.error((error as Error).message);
    return CLI_EXIT.usage;
  }
  return withServer(values, async (api, connection) => {
    // The baseline is settled before the launch: a gate that cannot compare fails before it spends a run.
    const baselineId = gate && (await resolveBaseline(api, scenario, gate));
    return runThroughServer(api, connection, {
      scenario,
      params: launchParams(values),
      wait: values['no-wait'] !== true,
      ...(gate ? { judge: gateJudge(api, gate, baselineId) } : {}),
    });
  });
}

/** The gate's end of a run: the verdict printed, the files written, 1 when a selected check failed. */
function gateJudge(api: ServerClient, gate: GateOptions, baselineId: string | undefined) {
  return async (run: ServerRun): Promise<number> => {
    const verdict = await judgeRun(api, run, baselineId, gate.failOn);
    await writeGateReports(verdict, gate);
    const unjudged = verdict.comparison && notJudged(verdict.comparison);
    if (unjudged) console.log(`gate: ${unjudged}`);
    for (const f of verdict.failures) console.log(`gate: ${f}`);
    console.log(
      `gate ${verdict.failures.length === 0 ? 'passed' : 'FAILED'} (fail on ${[...gate.failOn].join(', ')}; baseline ${baselineId ?? 'none'})`,
    );
    return verdict.failures.length === 0 ? CLI_EXIT.ok : CLI_EXIT.failed;
  };
}

function parseRunArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...LAUNCH_OPTIONS,
      'no-wait': { type: 'boolean' },
      ...GATE_OPTIONS,
      ...CONNECTION_OPTIONS,
    },
  });
}
