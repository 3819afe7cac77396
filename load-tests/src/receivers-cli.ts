// `cli.ts receivers list|add|remove|test` through the dashboard server (admin token): the alert
// receivers the Receivers page shows. A receiver's URL or routing key is read from the environment
// variable `--secret-env` names, never from argv; the server masks it, seals it and audits changes.
import { z } from 'zod';
import { CLI_EXIT } from './cli-exit.ts';
import { familyUsage, parseFamilyArgs } from './cli-family.ts';
import { withServer } from './cli-server.ts';
import { namedSecret } from './env.ts';
import { answer, type ServerClient, ServerError } from './server-client.ts';

export const RECEIVERS_USAGE = `       cli.ts receivers list
       cli.ts receivers add <name> --kind webhook|slack|pagerduty --secret-env VAR [--severity S]
       cli.ts receivers remove <receiverId>
       cli.ts receivers test <name>
  admin token; the URL (webhook, slack) or routing key (pagerduty) is read from the variable VAR, never
  from the command line; test sends one test alert and exits 1 when the receiver answers an error`;

/** The engine's kinds, checked here so a typo is a usage error before any request (the server checks again). */
const KINDS = ['webhook', 'slack', 'pagerduty'] as const;

const source = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('file'),
    path: z.string(),
    variable: z.string(),
    variableSet: z.boolean(),
  }),
  z.looseObject({ type: z.literal('ui'), createdBy: z.string(), createdAt: z.number() }),
]);
const receiver = z.looseObject({
  id: z.string().nullable(),
  name: z.string(),
  kind: z.string(),
  hint: z.string().nullable(),
  severity: z.string().nullable(),
  source,
  problem: z.string().nullable(),
});
type ReceiverAnswer = z.infer<typeof receiver>;
const RECEIVER = answer<ReceiverAnswer>(receiver);
const RECEIVERS = answer<{ receivers: ReceiverAnswer[] }>(z.looseObject({ receivers: z.array(receiver) }));
const testAnswer = z.looseObject({
  ok: z.boolean(),
  httpStatus: z.number().nullable(),
  body: z.string(),
  error: z.string().nullable(),
});
const TEST = answer<z.infer<typeof testAnswer>>(testAnswer);

/** How much of a receiver's answer is printed (the Receivers page shows as much). */
const BODY_CHARS = 200;

export function receiverLine(r: ReceiverAnswer): string {
  const from =
    r.source.type === 'file'
      ? `file ${r.source.path} (${r.source.variable}${r.source.variableSet ? '' : ' unset'})`
      : `added by ${r.source.createdBy} at ${new Date(r.source.createdAt).toISOString()}`;
  return [
    r.id ?? '-',
    r.name,
    r.kind,
    r.hint ?? '-',
    r.severity ? `severity=${r.severity}` : 'all alerts',
    from,
    ...(r.problem ? [`PROBLEM: ${r.problem}`] : []),
  ].join('  ');
}

const usage = familyUsage('receivers');

/** `receivers …`; undefined when argv does not start with it. */
export async function receiversCommand(argv: string[]): Promise<number | undefined> {
  if (argv[0] !== 'receivers') return undefined;
  let parsed: ReturnType<typeof parseReceiverArgs>;
  try {
    parsed = parseReceiverArgs(argv.slice(1));
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub, arg, ...extra] = positionals;
  if (extra.length > 0) return usage(`unexpected ${extra.join(' ')}`);
  if (sub !== 'add' && (values.kind || values['secret-env'] || values.severity))
    return usage('--kind, --secret-env and --severity are for add');
  switch (sub) {
    case 'list':
      if (arg) return usage(`unexpected ${arg}`);
      return withServer(values, async (api) => {
        const { receivers } = await api.query('receivers.list', RECEIVERS);
        if (receivers.length === 0) console.log('no receivers');
        for (const r of receivers) console.log(receiverLine(r));
        return CLI_EXIT.ok;
      });
    case 'add': {
      if (!arg) return usage('add needs a receiver name');
      const kind = KINDS.find((k) => k === values.kind);
      if (!kind) return usage(`add needs --kind ${KINDS.join('|')}`);
      if (!values['secret-env'])
        return usage(`add needs --secret-env VAR: the variable holding the ${secretField(kind)}`);
      const secret = namedSecret('--secret-env', values['secret-env']);
      if ('refusal' in secret) return usage(secret.refusal);
      const input = {
        kind,
        name: arg,
        severity: values.severity ?? null,
        [secretField(kind)]: secret.value,
      };
      return withServer(values, async (api) => {
        const r = await api.mutation('receivers.add', RECEIVER, input);
        console.log(`receiver ${r.id} added: ${receiverLine(r)}`);
        return CLI_EXIT.ok;
      });
    }
    case 'remove':
      if (!arg) return usage('remove needs a receiver id (receivers list shows it)');
      return withServer(values, async (api) => {
        const r = await api.mutation('receivers.remove', RECEIVER, { id: arg });
        console.log(`receiver ${arg} (${r.name}) removed`);
        return CLI_EXIT.ok;
      });
    case 'test':
      if (!arg) return usage('test needs a receiver name');
      return withServer(values, (api) => testReceiver(api, arg));
    default:
      return usage(
        sub ? `unknown subcommand ${sub}: use list, add, remove or test` : 'use list, add, remove or test',
      );
  }
}

const secretField = (kind: (typeof KINDS)[number]) => (kind === 'pagerduty' ? 'routingKey' : 'url');

/** One test alert through the receiver's own code; its answer printed; 1 when it answered an error. */
async function testReceiver(api: ServerClient, name: string): Promise<number> {
  const { receivers } = await api.query('receivers.list', RECEIVERS);
  const found = receivers.find((r) => r.name === name);
  if (!found)
    throw new ServerError(`404: no receiver named ${name} (receivers list shows them)`, CLI_EXIT.notFound);
  const ref = found.id === null ? { file: found.name } : { id: found.id };
  const a = await api.mutation('receivers.test', TEST, ref);
  const body = a.body.slice(0, BODY_CHARS).replace(/\s+/g, ' ').trim();
  // The receiver's own status and body when it answered; else why nothing came back (network, timeout).
  const said =
    a.httpStatus === null ? (a.error ?? 'no answer') : `HTTP ${a.httpStatus}${body ? `: ${body}` : ''}`;
  if (a.ok) {
    console.log(`receiver ${name} answered ${said}`);
    return CLI_EXIT.ok;
  }
  console.error(`receiver ${name} answered an error: ${said}`);
  return CLI_EXIT.failed;
}

function parseReceiverArgs(args: string[]) {
  return parseFamilyArgs(args, {
    kind: { type: 'string' },
    'secret-env': { type: 'string' },
    severity: { type: 'string' },
  });
}
