// `cli.ts users list|create|role|reset-password|disable|enable` through the dashboard server (admin
// token): the dashboard's users as the Users page manages them. A password is read from the
// environment variable `--password-env` names, never from argv; without one the server generates
// it and this prints it once. Each change signs the user out and is audited (without the password).
import { z } from 'zod';
import { CLI_EXIT } from './cli-exit.ts';
import { familyUsage, parseFamilyArgs } from './cli-family.ts';
import { withServer } from './cli-server.ts';
import { namedSecret } from './env.ts';
import { answer } from './server-client.ts';

export const USERS_USAGE = `       cli.ts users list
       cli.ts users create <name> --role viewer|qa|admin [--password-env VAR]
       cli.ts users role <name> viewer|qa|admin
       cli.ts users reset-password <name> [--password-env VAR]
       cli.ts users disable|enable <name>
  admin token; the password is read from the variable VAR (12+ characters), never from the command
  line; without --password-env the server generates one, printed here once`;

/** The dashboard's roles, checked here so a typo is a usage error before any request. */
const ROLES = ['viewer', 'qa', 'admin'] as const;
type Role = (typeof ROLES)[number];

const user = z.looseObject({
  name: z.string(),
  role: z.string(),
  source: z.enum(['environment', 'ui']),
  disabled: z.boolean(),
  origin: z.string().optional(),
  createdBy: z.string().optional(),
});
type UserAnswer = z.infer<typeof user>;
const USERS = answer<UserAnswer[]>(z.array(user));
const change = z.looseObject({
  user,
  sessionsRevoked: z.number(),
  generatedPassword: z.string().optional(),
  changed: z.boolean(),
});
const CHANGE = answer<z.infer<typeof change>>(change);

export const userLine = (u: UserAnswer) =>
  [
    u.name,
    u.role,
    u.disabled ? 'DISABLED' : 'enabled',
    u.source === 'environment'
      ? `from ${u.origin ?? 'the environment'} (read-only)`
      : `added by ${u.createdBy}`,
  ].join('  ');

const usage = familyUsage('users');
const asRole = (value: string | undefined): Role | undefined => ROLES.find((r) => r === value);

type Sub = 'create' | 'role' | 'reset-password' | 'disable' | 'enable';
/** The router's procedure and input for a change, or a usage message. */
type Plan = { path: string; input: Record<string, unknown>; done: string } | string;

/** `users …`; undefined when argv does not start with it. */
export async function usersCommand(argv: string[]): Promise<number | undefined> {
  if (argv[0] !== 'users') return undefined;
  let parsed: ReturnType<typeof parseUserArgs>;
  try {
    parsed = parseUserArgs(argv.slice(1));
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub, ...args] = positionals;
  if (sub === 'list') {
    if (args.length > 0) return usage(`unexpected ${args.join(' ')}`);
    return withServer(values, async (api) => {
      for (const u of await api.query('users.list', USERS)) console.log(userLine(u));
      return CLI_EXIT.ok;
    });
  }
  if (sub !== 'create' && sub !== 'role' && sub !== 'reset-password' && sub !== 'disable' && sub !== 'enable')
    return usage(
      `${sub ? `unknown subcommand ${sub}: ` : ''}use list, create, role, reset-password, disable or enable`,
    );
  const plan = planChange(sub, args, values);
  if (typeof plan === 'string') return usage(plan);
  return withServer(values, async (api) => {
    const done = await api.mutation(plan.path, CHANGE, plan.input);
    const revoked = done.sessionsRevoked > 0 ? `; ${done.sessionsRevoked} session(s) signed out` : '';
    console.log(
      `user ${done.user.name} ${done.changed ? plan.done : `unchanged (already ${plan.done})`}${revoked}: ${userLine(done.user)}`,
    );
    // Shown once: the server keeps only its hash.
    if (done.generatedPassword) console.log(`password (shown only now): ${done.generatedPassword}`);
    return CLI_EXIT.ok;
  });
}

function planChange(
  sub: Sub,
  args: string[],
  values: { role?: string | undefined; 'password-env'?: string | undefined },
): Plan {
  const [name, second, ...extra] = args;
  if (!name) return `${sub} needs a user name`;
  const positionalRole = sub === 'role';
  if (extra.length > 0 || (second !== undefined && !positionalRole))
    return `unexpected ${[...(positionalRole ? [] : [second]), ...extra].join(' ')}`;
  if (values.role !== undefined && sub !== 'create')
    return '--role is for create (use: users role <name> <role>)';
  const takesPassword = sub === 'create' || sub === 'reset-password';
  if (values['password-env'] !== undefined && !takesPassword)
    return '--password-env is for create and reset-password';
  let password: { password?: string } = {};
  if (values['password-env'] !== undefined) {
    const secret = namedSecret('--password-env', values['password-env']);
    if ('refusal' in secret) return secret.refusal;
    password = { password: secret.value };
  }
  switch (sub) {
    case 'create': {
      const role = asRole(values.role);
      if (!role) return `create needs --role ${ROLES.join('|')}`;
      return { path: 'users.create', input: { name, role, ...password }, done: `created (${role})` };
    }
    case 'role': {
      const role = asRole(second);
      if (!role) return `role needs a role: users role <name> ${ROLES.join('|')}`;
      return { path: 'users.setRole', input: { name, role }, done: `is ${role}` };
    }
    case 'reset-password':
      return { path: 'users.resetPassword', input: { name, ...password }, done: 'has a new password' };
    case 'disable':
    case 'enable':
      return {
        path: 'users.setDisabled',
        input: { name, disabled: sub === 'disable' },
        done: sub === 'disable' ? 'disabled' : 'enabled',
      };
    default: {
      const unknown: never = sub;
      return `unknown subcommand ${String(unknown)}`;
    }
  }
}

function parseUserArgs(args: string[]) {
  return parseFamilyArgs(args, { role: { type: 'string' }, 'password-env': { type: 'string' } });
}
