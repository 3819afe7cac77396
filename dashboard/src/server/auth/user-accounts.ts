// Managing dashboard users from the UI (admins): create, change role, reset password, disable and
// enable the users kept in cp_users; list them beside the read-only ones from the environment
// (DASHBOARD_USERS or the generated admin). A change of role or password, or a disable, revokes the
// user's sessions. Changes run one at a time in this process, so two admins cannot both demote
// "the other last admin" here; the rules (env names, self-disable, last admin) are checked inside.
import { randomBytes } from 'node:crypto';
import type { Role } from '../../lib/roles.ts';
import type { UserAccountView } from '../../lib/user-accounts.ts';
import type { HashQueue } from './hash-queue.ts';
import { hashPassword } from './password.ts';
import type { SessionStore } from './session-store.ts';
import type { UiUser, UiUserStore } from './ui-users.ts';
import type { LocalUser } from './users.ts';

/** Thrown inside a change and turned into its `refused` answer (never crosses to the routers). */
class UserChangeRefused extends Error {
  readonly reason: Refusal['reason'];
  readonly retryAfterSeconds: number | undefined;
  constructor(reason: Refusal['reason'], message: string, retryAfterSeconds?: number) {
    super(message);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Why a change was refused: `reason` picks the HTTP status, `message` is one line for the admin. */
export interface Refusal {
  type: 'refused';
  reason: 'not-found' | 'conflict' | 'refused' | 'busy';
  message: string;
  retryAfterSeconds?: number;
}

export type UserChange = UserChangeDone | Refusal;

export interface UserChangeDone {
  type: 'done';
  user: UserAccountView;
  /** The role before the change. */
  previousRole: Role;
  /** Sessions of the user revoked by this change. */
  sessionsRevoked: number;
  /** The generated password, when none was given: shown once, stored only hashed. */
  generatedPassword?: string;
  /** False when the user already was in the asked-for state (nothing written, nothing revoked). */
  changed: boolean;
}

export interface UserAccounts {
  list(): Promise<UserAccountView[]>;
  create(input: { name: string; role: Role; password?: string | undefined; by: string }): Promise<UserChange>;
  setRole(input: { name: string; role: Role; by: string }): Promise<UserChange>;
  resetPassword(input: { name: string; password?: string | undefined; by: string }): Promise<UserChange>;
  setDisabled(input: { name: string; disabled: boolean; by: string }): Promise<UserChange>;
}

export interface UserAccountsOptions {
  /** DASHBOARD_USERS, or the generated admin. */
  configured: LocalUser[];
  /** Where the configured users come from, as the Users page names it. */
  configuredFrom: 'DASHBOARD_USERS' | 'generated admin';
  store: UiUserStore;
  sessions: Pick<SessionStore, 'revokeUser'>;
  /** The sign-in's hash queue: scrypt costs 128 MiB, so hashes run one at a time. */
  hashQueue: HashQueue;
  now?: () => number;
}

/** Generated passwords: 120 random bits, as the generated admin's. */
const generatePassword = () => randomBytes(15).toString('base64url');

const viewOfUi = (u: UiUser): UserAccountView => ({
  name: u.name,
  role: u.role,
  source: 'ui',
  disabled: u.disabled,
  createdBy: u.createdBy,
  createdAt: u.createdAt,
  updatedBy: u.updatedBy,
  updatedAt: u.updatedAt,
});

export function createUserAccounts(options: UserAccountsOptions): UserAccounts {
  const now = options.now ?? Date.now;
  const { store, sessions, hashQueue } = options;
  const configured = new Map(options.configured.map((u) => [u.name, u]));
  const configuredView = (u: LocalUser): UserAccountView => ({
    name: u.name,
    role: u.role,
    source: 'environment',
    origin: options.configuredFrom,
    disabled: false,
  });
  let queue: Promise<unknown> = Promise.resolve();
  /** One change at a time, each reading the state the previous one left; refusals become answers. */
  const serial = (work: () => Promise<UserChangeDone>): Promise<UserChange> => {
    const guarded = async (): Promise<UserChange> => {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof UserChangeRefused)) throw error;
        return {
          type: 'refused',
          reason: error.reason,
          message: error.message,
          ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
        };
      }
    };
    const next = queue.then(guarded, guarded);
    queue = next.catch(() => undefined);
    return next;
  };

  const readOnly = (name: string) =>
    new UserChangeRefused(
      'refused',
      `"${name}" comes from the environment (${options.configuredFrom}) and is read-only here`,
    );

  async function existing(name: string): Promise<UiUser> {
    if (configured.has(name)) throw readOnly(name);
    const user = await store.find(name, { fresh: true });
    if (!user) throw new UserChangeRefused('not-found', `no user "${name}"`);
    return user;
  }

  async function hash(password: string): Promise<string> {
    const done = await hashQueue.run(() => hashPassword(password));
    if (done.type === 'busy')
      throw new UserChangeRefused(
        'busy',
        `password hashing is busy: try again in ${done.retryAfterSeconds} s`,
        done.retryAfterSeconds,
      );
    return done.value;
  }

  /** Whether another enabled admin than `name` remains (a configured admin always counts). */
  async function otherAdminRemains(name: string): Promise<boolean> {
    if (options.configured.some((u) => u.role === 'admin' && u.name !== name)) return true;
    return (await store.list()).some(
      (u) => u.role === 'admin' && !u.disabled && u.name !== name && !configured.has(u.name),
    );
  }

  /** Writes the user's next state (strictly newer than the last) and revokes its sessions if asked. */
  async function change(
    before: UiUser,
    after: Partial<UiUser>,
    by: string,
    revoke: boolean,
  ): Promise<UserChangeDone> {
    const next: UiUser = {
      ...before,
      ...after,
      updatedBy: by,
      updatedAt: Math.max(now(), before.updatedAt + 1),
    };
    await store.write(next);
    const sessionsRevoked = revoke ? await sessions.revokeUser(next.name) : 0;
    return { type: 'done', user: viewOfUi(next), previousRole: before.role, sessionsRevoked, changed: true };
  }

  return {
    async list() {
      const made = (await store.list()).filter((u) => !configured.has(u.name)).map(viewOfUi);
      return [...options.configured.map(configuredView), ...made];
    },

    create: (input) =>
      serial(async () => {
        if (configured.has(input.name))
          throw new UserChangeRefused(
            'conflict',
            `"${input.name}" is a user from the environment (${options.configuredFrom}): pick another name`,
          );
        if (await store.find(input.name, { fresh: true }))
          throw new UserChangeRefused('conflict', `a user "${input.name}" already exists`);
        const password = input.password ?? generatePassword();
        const at = now();
        const user: UiUser = {
          name: input.name,
          role: input.role,
          passwordHash: await hash(password),
          disabled: false,
          createdBy: input.by,
          createdAt: at,
          updatedBy: input.by,
          updatedAt: at,
        };
        await store.write(user);
        return {
          type: 'done',
          user: viewOfUi(user),
          previousRole: user.role,
          sessionsRevoked: 0,
          changed: true,
          ...(input.password === undefined ? { generatedPassword: password } : {}),
        };
      }),

    setRole: (input) =>
      serial(async () => {
        const before = await existing(input.name);
        if (before.role === input.role)
          return {
            type: 'done',
            user: viewOfUi(before),
            previousRole: before.role,
            sessionsRevoked: 0,
            changed: false,
          };
        if (before.role === 'admin' && !before.disabled && !(await otherAdminRemains(input.name)))
          throw new UserChangeRefused(
            'refused',
            `"${input.name}" is the last enabled admin: make another admin first`,
          );
        return change(before, { role: input.role }, input.by, true);
      }),

    resetPassword: (input) =>
      serial(async () => {
        const before = await existing(input.name);
        const password = input.password ?? generatePassword();
        const result = await change(before, { passwordHash: await hash(password) }, input.by, true);
        return input.password === undefined ? { ...result, generatedPassword: password } : result;
      }),

    setDisabled: (input) =>
      serial(async () => {
        if (input.disabled && input.name === input.by)
          throw new UserChangeRefused('refused', 'you cannot disable yourself: ask another admin');
        const before = await existing(input.name);
        if (before.disabled === input.disabled)
          return {
            type: 'done',
            user: viewOfUi(before),
            previousRole: before.role,
            sessionsRevoked: 0,
            changed: false,
          };
        if (input.disabled && before.role === 'admin' && !(await otherAdminRemains(input.name)))
          throw new UserChangeRefused(
            'refused',
            `"${input.name}" is the last enabled admin: make another admin first`,
          );
        return change(before, { disabled: input.disabled }, input.by, input.disabled);
      }),
  };
}
