// `cli.ts experiment check <file> [--target URL]` (validate, print the run order; with a target, try
// every variant's settings there) and `cli.ts experiment run <file> --target URL` (local: k6 on this
// machine through the launcher, a progress line per run event, the final tables; Ctrl-C stops it and
// the target is put back). Through the dashboard server is for later.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_EXIT, HELP } from '../cli-exit.ts';
import { env } from '../env.ts';
import { REPO_ROOT } from '../k6-binary.ts';
import { createLauncher } from '../launcher.ts';
import { isExperimentDefinitionError } from './definition.ts';
import { loadExperimentFile } from './experiment-file.ts';
import { experimentText, progressText } from './experiment-text.ts';
import { interleavedOrder } from './interleave.ts';
import { runExperiment } from './runner.ts';
import { preflightVariants } from './switch-settings.ts';
import { createTargetSettingsClient, TargetSettingsError } from './target-settings.ts';

export const EXPERIMENT_USAGE = `       cli.ts experiment check <file.yaml> [--target <base URL>]   (validate, print the run order; with a target, try every variant's settings there)
       cli.ts experiment run <file.yaml> --target <base URL> [--admin-token T] [--runs-dir DIR] [--otlp host:port] [--json FILE]
  experiments run k6 here through the launcher (recorded nowhere yet); the target's admin token:
  --admin-token or TARGET_ADMIN_TOKEN (default dev-admin-token, the target's laptop default)`;

const DEFAULT_ADMIN_TOKEN = 'dev-admin-token';

const settingsClient = (target: string, token: string | undefined, resource: string) =>
  createTargetSettingsClient({
    target,
    adminToken: token ?? env.TARGET_ADMIN_TOKEN ?? DEFAULT_ADMIN_TOKEN,
    resource,
  });

/** Handles `experiment …`; undefined when argv is another command. */
export async function experimentCommand(argv: string[]): Promise<number | undefined> {
  if (argv[0] !== 'experiment') return undefined;
  const { values, positionals } = parseArgs({
    args: argv.slice(1),
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      'admin-token': { type: 'string' },
      'runs-dir': { type: 'string' },
      otlp: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const [sub, file] = positionals;
  if ((sub !== 'check' && sub !== 'run') || !file || positionals.length > 2) {
    console.error(`usage: cli.ts experiment check|run <file.yaml> … ${HELP}`);
    return CLI_EXIT.usage;
  }
  let def: Awaited<ReturnType<typeof loadExperimentFile>>;
  try {
    def = await loadExperimentFile(file);
  } catch (error) {
    if (!isExperimentDefinitionError(error)) throw error;
    console.error(error.message);
    return CLI_EXIT.usage;
  }
  const order = interleavedOrder(
    def.variants.map((v) => v.name),
    def.repeats,
    def.seed,
  );
  if (sub === 'check') {
    console.log(
      `${file}: ${def.name}, ${def.scenario} ${JSON.stringify(def.params)}, ${def.variants.length} variants × ${def.repeats} repeats, settings through ${def.settingsResource}`,
    );
    for (let round = 1; round <= def.repeats; round++)
      console.log(
        `  round ${round}: ${order
          .filter((s) => s.round === round)
          .map((s) => s.variant)
          .join(' ')}`,
      );
    if (!values.target) return CLI_EXIT.ok;
    // With a target: every variant's settings tried there and the original put back (no run).
    const client = settingsClient(values.target, values['admin-token'], def.settingsResource);
    try {
      await preflightVariants(def, client, await client.read());
    } catch (error) {
      if (!(error instanceof TargetSettingsError)) throw error;
      console.error(`${values.target}: ${error.message}`);
      return CLI_EXIT.failed;
    }
    console.log(`${values.target}: takes every variant's settings (put back as found)`);
    return CLI_EXIT.ok;
  }
  if (!values.target) {
    console.error(`experiment run needs --target <base URL> ${HELP}`);
    return CLI_EXIT.usage;
  }
  const launcher = createLauncher({
    targets: [values.target],
    runsDir: values['runs-dir'] ?? join(REPO_ROOT, '.data', 'runs'),
    ...(values.otlp ? { otlpEndpoint: values.otlp } : {}),
  });
  const stop = new AbortController();
  // Every Ctrl-C is caught: a second one must not kill the process before the target is put back.
  process.on('SIGINT', () => {
    if (stop.signal.aborted) console.error('already stopping; the target is being put back');
    else console.error('stopping: the current run is stopped, then the target is put back…');
    stop.abort();
  });
  console.error('note: k6 runs on this machine; the experiment and its runs are recorded nowhere');
  try {
    const experiment = await runExperiment(def, {
      launcher,
      target: values.target.replace(/\/+$/, ''),
      settings: settingsClient(values.target, values['admin-token'], def.settingsResource),
      signal: stop.signal,
      launchedBy: `cli:${process.env.USER ?? 'unknown'}`,
      onEvent: (e) => {
        const line = progressText(e);
        if (line) console.log(line);
      },
    });
    console.log(experimentText(experiment));
    if (values.json) await writeFile(values.json, `${JSON.stringify(experiment, null, 2)}\n`);
    return experiment.state === 'finished' ? CLI_EXIT.ok : CLI_EXIT.failed;
  } finally {
    await launcher.close();
  }
}
