// `cli.ts schedules list|create|pause|resume|delete` through the dashboard server: scheduled runs
// as the Schedules page shows them. The server validates everything (cron, time zone, parameters,
// notification URL) and audits every change; errors are one line with the CLI's exit codes.
import { z } from 'zod';
import { CLI_EXIT } from './cli-exit.ts';
import { familyUsage, parseFamilyArgs } from './cli-family.ts';
import { LAUNCH_OPTIONS, launchParams, withServer } from './cli-server.ts';
import { ANSWERS } from './server-answers.ts';
import { answer, type ServerClient } from './server-client.ts';

export const SCHEDULES_USAGE = `       cli.ts schedules list
       cli.ts schedules create <scenario> --cron "0 3 * * *" [--tz Europe/Berlin] [--name N] [--target URL] [--vus N | --scale X] [--duration 30s] [--notify URL [--slack]]
       cli.ts schedules pause|resume|delete <scheduleId>
  qa or admin to change, viewer to list; --tz defaults to this machine's time zone; runs are launched by schedule:<id>`;

const at = z.number().nullable();
const schedule = z.looseObject({
  id: z.string(),
  name: z.string(),
  scenario: z.string(),
  cron: z.string(),
  timeZone: z.string(),
  paused: z.boolean(),
  nextRunAt: at,
  notify: z.looseObject({ format: z.string(), origin: z.string() }).nullable(),
  last: z
    .looseObject({
      type: z.string(),
      dueAt: z.number(),
      runId: z.string().optional(),
      reason: z.string().optional(),
    })
    .nullable(),
  lastRun: z.looseObject({ id: z.string(), state: z.string() }).nullable(),
  lastNotice: z.looseObject({ runId: z.string(), verdict: z.string(), delivery: z.string() }).nullable(),
});
type ScheduleAnswer = z.infer<typeof schedule>;
const SCHEDULE = answer<ScheduleAnswer>(schedule);
const SCHEDULES = answer<{ schedules: ScheduleAnswer[] }>(z.looseObject({ schedules: z.array(schedule) }));

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

export function scheduleLine(s: ScheduleAnswer): string {
  const last = !s.last
    ? 'never run'
    : s.last.type === 'launched'
      ? `${s.lastRun?.id ?? s.last.runId} ${s.lastRun?.state ?? ''}`.trim()
      : (s.last.reason ?? s.last.type);
  const notice = s.lastNotice ? `  notice: ${s.lastNotice.verdict}, ${s.lastNotice.delivery}` : '';
  return `${s.id}  ${s.name}  ${s.scenario}  "${s.cron}" ${s.timeZone}  ${s.paused ? 'PAUSED' : `next ${iso(s.nextRunAt)}`}  last: ${last}${notice}`;
}

const usage = familyUsage('schedules');

/** `schedules …`; undefined when argv does not start with it. */
export async function schedulesCommand(argv: string[]): Promise<number | undefined> {
  if (argv[0] !== 'schedules') return undefined;
  let parsed: ReturnType<typeof parseScheduleArgs>;
  try {
    parsed = parseScheduleArgs(argv.slice(1));
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub, arg, ...extra] = positionals;
  if (extra.length > 0) return usage(`unexpected ${extra.join(' ')}`);
  switch (sub) {
    case 'list':
      return withServer(values, async (api) => {
        const { schedules } = await api.query('schedules.list', SCHEDULES);
        if (schedules.length === 0) console.log('no schedules');
        for (const s of schedules) console.log(scheduleLine(s));
        return CLI_EXIT.ok;
      });
    case 'create': {
      if (!arg) return usage('create needs a scenario');
      if (!values.cron) return usage('create needs --cron "<expression>"');
      if (values.slack && !values.notify) return usage('--slack needs --notify URL');
      const input = {
        name: values.name ?? `${arg} ${values.cron}`,
        scenario: arg,
        params: launchParams(values),
        cron: values.cron,
        timeZone: values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...(values.notify
          ? { notifyUrl: values.notify, notifyFormat: values.slack ? 'slack' : 'webhook' }
          : {}),
      };
      return withServer(values, async (api) => {
        const s = await api.mutation('schedules.create', SCHEDULE, input);
        console.log(`schedule ${s.id} created: ${scheduleLine(s)}`);
        return CLI_EXIT.ok;
      });
    }
    case 'pause':
    case 'resume':
    case 'delete': {
      if (!arg) return usage(`${sub} needs a schedule id`);
      return withServer(values, (api) => change(api, sub, arg));
    }
    default:
      return usage(
        sub
          ? `unknown subcommand ${sub}: use list, create, pause, resume or delete`
          : 'use list, create, pause, resume or delete',
      );
  }
}

async function change(api: ServerClient, sub: 'pause' | 'resume' | 'delete', id: string): Promise<number> {
  if (sub === 'delete') {
    await api.mutation(`schedules.delete`, ANSWERS.any, { id });
    console.log(`schedule ${id} deleted`);
  } else {
    const s = await api.mutation(`schedules.${sub}`, SCHEDULE, { id });
    console.log(`schedule ${id} ${sub === 'pause' ? 'paused' : 'resumed'}: ${scheduleLine(s)}`);
  }
  return CLI_EXIT.ok;
}

function parseScheduleArgs(args: string[]) {
  return parseFamilyArgs(args, {
    ...LAUNCH_OPTIONS,
    cron: { type: 'string' },
    tz: { type: 'string' },
    name: { type: 'string' },
    notify: { type: 'string' },
    slack: { type: 'boolean' },
  });
}
