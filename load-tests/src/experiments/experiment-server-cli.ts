// `cli.ts experiment start|status|stop` through the dashboard server (PERF_SERVER_URL + PERF_TOKEN,
// or --server/--token): the server's experiments router, so the experiment is the server's —
// recorded in cp_experiments, its runs in the run list, launched by token:<name>, audited. `start`
// follows it (experiments.get every 2 s: each token request is an audit row) with a line per change
// and the final tables; Ctrl-C asks the server to stop it (the server puts the target back).
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CLI_EXIT, HELP } from '../cli-exit.ts';
import { CONNECTION_OPTIONS, withServer } from '../cli-server.ts';
import { answer, type ServerClient } from '../server-client.ts';
import { isExperimentDefinitionError } from './definition.ts';
import { loadExperimentFile } from './experiment-file.ts';
import { experimentText } from './experiment-text.ts';
import type { Experiment } from './model.ts';

export const EXPERIMENT_SERVER_USAGE = `       cli.ts experiment start [--plan NAME | --file def.yaml] [--repeats N] [--duration 30s] [--vus N] [--warmup N] [--variants a,b,…] [--no-wait]
       cli.ts experiment status [experimentId]
       cli.ts experiment stop <experimentId>
  through the server (PERF_SERVER_URL, PERF_TOKEN): qa or admin to start and stop, viewer for status`;

const POLL_MS = 2_000;

const progress = z
  .looseObject({
    experimentId: z.string(),
    variant: z.string().nullable(),
    repeat: z.number().nullable(),
    repeats: z.number(),
    position: z.number().nullable(),
    total: z.number(),
    warmup: z.boolean(),
    currentRunId: z.string().nullable(),
    runState: z.string().nullable(),
  })
  .nullable();
type ProgressAnswer = z.infer<typeof progress>;
const experiment = z.looseObject({
  id: z.string(),
  state: z.enum(['running', 'finished', 'stopped', 'failed']),
  reason: z.string().nullable(),
  definition: z.looseObject({ name: z.string() }),
  order: z.array(z.unknown()),
  runs: z.array(z.looseObject({ runId: z.string(), variant: z.string(), state: z.string() })),
});
const GET = answer<{ experiment: Experiment; progress: ProgressAnswer }>(
  z.looseObject({ experiment, progress }),
);
const row = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  launchedBy: z.string(),
  createdAt: z.number(),
  runs: z.number(),
  total: z.number(),
  verdicts: z.record(z.string(), z.number()),
});
const LIST = answer<{ experiments: z.infer<typeof row>[]; progress: ProgressAnswer }>(
  z.looseObject({ experiments: z.array(row), progress }),
);
const LAUNCHED = answer<{ id: string }>(z.looseObject({ id: z.string() }));
const ANY = answer<unknown>(z.unknown());

export function progressLine(p: NonNullable<ProgressAnswer>): string {
  if (p.variant === null) return 'checking the target takes every variant';
  const where = p.warmup ? '[warm-up]' : `[${p.position}/${p.total}] repeat ${p.repeat}/${p.repeats}`;
  return `${where} ${p.variant}${p.currentRunId ? `: run ${p.currentRunId} ${p.runState}` : ': target switched'}`;
}

const usage = (message: string) => {
  console.error(`experiment: ${message} ${HELP}`);
  return CLI_EXIT.usage;
};

const int = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`--${name} must be a whole number`);
  return Number(v);
};

async function follow(api: ServerClient, id: string, base: string): Promise<number> {
  let stopping = false;
  const onInterrupt = () => {
    if (stopping) return;
    stopping = true;
    console.error('stopping… (the server stops the current run and puts the target back)');
    api.mutation('experiments.stop', ANY, { id }).catch((error: Error) => console.error(error.message));
  };
  process.on('SIGINT', onInterrupt);
  try {
    let last = '';
    for (;;) {
      const got = await api.query('experiments.get', GET, { id });
      const line = got.progress ? progressLine(got.progress) : '';
      if (line && line !== last) console.log(line);
      last = line || last;
      if (got.experiment.state !== 'running') {
        console.log(experimentText(got.experiment));
        console.log(`${base}/experiments?id=${id}`);
        return got.experiment.state === 'finished' ? CLI_EXIT.ok : CLI_EXIT.failed;
      }
      await sleep(POLL_MS);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** `experiment start|status|stop …`; undefined for other commands (check and run stay local). */
export async function experimentServerCommand(argv: string[]): Promise<number | undefined> {
  const sub = argv[1];
  if (argv[0] !== 'experiment' || (sub !== 'start' && sub !== 'status' && sub !== 'stop')) return undefined;
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>
  >;
  try {
    parsed = parseArgs({ args: argv.slice(2), allowPositionals: true, options: OPTIONS });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) return usage(`unexpected ${positionals.slice(1).join(' ')}`);
  const id = positionals[0];
  switch (sub) {
    case 'start': {
      if (id) return usage(`start takes no experiment id (${id})`);
      if (values.plan && values.file) return usage('--plan or --file, not both');
      let overrides: Record<string, unknown>;
      let definition: unknown;
      try {
        overrides = {
          repeats: int('repeats', values.repeats),
          warmupRuns: int('warmup', values.warmup),
          vus: int('vus', values.vus),
          duration: values.duration,
          variants: values.variants?.split(',').filter(Boolean),
        };
        definition = values.file ? await loadExperimentFile(values.file) : undefined;
      } catch (error) {
        if (isExperimentDefinitionError(error) || error instanceof Error) return usage(error.message);
        throw error;
      }
      return withServer(values, async (api, connection) => {
        const { id: started } = await api.mutation('experiments.launch', LAUNCHED, {
          ...(values.plan ? { plan: values.plan } : {}),
          ...(definition ? { definition } : {}),
          overrides: Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
        });
        console.log(
          `experiment ${started} on ${connection.url} (${connection.url}/experiments?id=${started})`,
        );
        return values['no-wait'] ? CLI_EXIT.ok : follow(api, started, connection.url);
      });
    }
    case 'status':
      return withServer(values, async (api) => {
        if (id) {
          const got = await api.query('experiments.get', GET, { id });
          if (got.progress) console.log(progressLine(got.progress));
          console.log(experimentText(got.experiment));
          return CLI_EXIT.ok;
        }
        const list = await api.query('experiments.list', LIST);
        if (list.progress)
          console.log(`running ${list.progress.experimentId}: ${progressLine(list.progress)}`);
        if (list.experiments.length === 0) console.log('no experiments');
        for (const e of list.experiments) {
          const verdicts = Object.entries(e.verdicts)
            .map(([v, n]) => `${n} ${v}`)
            .join(', ');
          console.log(
            `${e.id}  ${e.name}  ${e.state}  ${new Date(e.createdAt).toISOString()}  ${e.runs}/${e.total} runs  by ${e.launchedBy}${verdicts ? `  ${verdicts}` : ''}`,
          );
        }
        return CLI_EXIT.ok;
      });
    case 'stop':
      if (!id) return usage('stop needs an experiment id');
      return withServer(values, async (api) => {
        await api.mutation('experiments.stop', ANY, { id });
        console.log(`experiment ${id}: stopping (the target is put back when its run has stopped)`);
        return CLI_EXIT.ok;
      });
    default:
      return sub satisfies never;
  }
}

const OPTIONS = {
  server: CONNECTION_OPTIONS.server,
  token: CONNECTION_OPTIONS.token,
  plan: { type: 'string' },
  file: { type: 'string' },
  repeats: { type: 'string' },
  duration: { type: 'string' },
  vus: { type: 'string' },
  warmup: { type: 'string' },
  variants: { type: 'string' },
  'no-wait': { type: 'boolean' },
} as const;
