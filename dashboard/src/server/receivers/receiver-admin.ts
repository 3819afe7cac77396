// Alert receivers as admins manage them: the routing file's (read-only here: their secrets live in
// environment variables) and those added in the UI (stored sealed in cp_receivers). Every change is
// handed to the running alert engine at once (engine.setAddedReceivers), and every replica rereads
// the store every `refreshMs`. A test notification goes through the receiver's own code. Runs in
// the dashboard's server process only; routers reach it through the services facade.
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import {
  type AlertEngine,
  buildReceiver,
  maskedHint,
  parseAlertRulesEnv,
  type ReceiverSpec,
  sendTestNotification,
  shippedRoutingFile,
} from 'alert-rules';
import type { Store } from 'collector';
import { REPO_ROOT } from '../../env.ts';
import type {
  ReceiverAddInput,
  ReceiverEditInput,
  ReceiverRef,
  ReceiverTestAnswer,
  ReceiverView,
} from '../../lib/receiver-input.ts';
import { createReceiverStore, type StoredReceiver } from './receiver-store.ts';
import type { SecretBox } from './secret-box.ts';

export class ReceiverAdminError extends Error {
  override name = 'ReceiverAdminError';
  readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT';
  constructor(code: ReceiverAdminError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface ReceiverAdmin {
  /** The routing file's receivers, then the stored ones, none with its secret. */
  list(): Promise<ReceiverView[]>;
  /** Severities the loaded rules use, for the "only these alerts" choice. */
  severities(): string[];
  add(input: ReceiverAddInput, by: string): Promise<ReceiverView>;
  /** The receiver after the edit and the names (never values) of the fields that changed. */
  edit(id: string, input: ReceiverEditInput, by: string): Promise<{ view: ReceiverView; changed: string[] }>;
  remove(id: string, by: string): Promise<ReceiverView>;
  /** A test notification through a UI receiver (by id) or a routing-file one (by name), and its answer. */
  test(ref: ReceiverRef, by: string): Promise<{ name: string; answer: ReceiverTestAnswer }>;
  /** Hands the stored receivers to the engine (at start, after each change, every refreshMs). */
  reload(): Promise<void>;
  close(): void;
}

export interface ReceiverAdminOptions {
  client: Store['client'];
  engine: Pick<AlertEngine, 'receivers' | 'setAddedReceivers' | 'rules' | 'testReceiver'>;
  box: SecretBox;
  /** The routing file the engine loaded, as shown to people (relative to the repository). */
  routingFile: string;
  externalUrl: string;
  log: (line: string) => void;
  /** How often each replica rereads cp_receivers (ms; 0: only on its own changes). */
  refreshMs?: number;
  now?: () => number;
}

/** The routing file the engine loads (ALERT_ROUTING_FILE or the shipped one), as people read it. */
export const engineRoutingFile = (): string =>
  relative(REPO_ROOT, parseAlertRulesEnv().ALERT_ROUTING_FILE ?? shippedRoutingFile);

/** The row's id and kind are sealed in with the secret: it opens on this receiver only. */
const associated = (r: { id: string; kind: string }) => `${r.id}:${r.kind}`;
const secretOf = (input: ReceiverEditInput) => (input.kind === 'pagerduty' ? input.routingKey : input.url);

function specOf(r: StoredReceiver, secret: string): ReceiverSpec {
  switch (r.kind) {
    case 'webhook':
      return { name: r.name, kind: 'webhook', url: secret };
    case 'slack':
      return { name: r.name, kind: 'slack', url: secret, channel: r.config.channel };
    case 'pagerduty':
      return { name: r.name, kind: 'pagerduty', routingKey: secret };
    default: {
      const unknown: never = r.kind;
      throw new RangeError(`unknown receiver kind ${String(unknown)}`);
    }
  }
}

export function createReceiverAdmin(options: ReceiverAdminOptions): ReceiverAdmin {
  const { engine, box, log } = options;
  const store = createReceiverStore(options.client);
  const now = options.now ?? Date.now;

  /** The secret in the clear, or why it cannot be read (another key, altered). */
  function open(r: StoredReceiver): { secret: string } | { problem: string } {
    try {
      return { secret: box.open(r.sealed, associated(r)) };
    } catch (error) {
      return {
        problem: `its secret cannot be read (${(error as Error).message}): it sends nothing; enter its URL or key again, or remove it`,
      };
    }
  }

  const viewOf = (r: StoredReceiver): ReceiverView => {
    const opened = open(r);
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      hint: r.hint,
      severity: r.config.severity,
      channel: r.config.channel ?? null,
      source: {
        type: 'ui',
        createdBy: r.createdBy,
        createdAt: r.createdAt,
        updatedBy: r.updatedBy,
        updatedAt: r.updatedAt,
      },
      problem: 'problem' in opened ? opened.problem : null,
    };
  };

  const fileReceivers = () => engine.receivers().filter((r) => r.source === 'file');

  async function find(id: string): Promise<StoredReceiver> {
    const found = (await store.list()).find((r) => r.id === id);
    if (!found) throw new ReceiverAdminError('NOT_FOUND', `no receiver ${id} (removed?)`);
    return found;
  }

  async function checkName(name: string, self: string | null): Promise<void> {
    if (fileReceivers().some((r) => r.name === name))
      throw new ReceiverAdminError(
        'CONFLICT',
        `"${name}" is a receiver of the routing file: pick another name`,
      );
    if ((await store.list()).some((r) => r.name === name && r.id !== self))
      throw new ReceiverAdminError('CONFLICT', `a receiver named "${name}" exists already`);
  }

  let reloading: Promise<void> = Promise.resolve();
  function reload(): Promise<void> {
    reloading = reloading.then(async () => {
      const added = (await store.list()).flatMap((r) => {
        const opened = open(r);
        if ('problem' in opened) return [];
        return [{ receiver: buildReceiver(specOf(r, opened.secret)), severity: r.config.severity }];
      });
      engine.setAddedReceivers(added);
    });
    return reloading;
  }
  const refreshMs = options.refreshMs ?? 30_000;
  const timer =
    refreshMs > 0
      ? setInterval(() => {
          reload().catch((e: unknown) => log(`receivers: rereading cp_receivers failed: ${String(e)}`));
        }, refreshMs)
      : null;
  timer?.unref();

  /** Changes run one at a time in this process: two adds of one name cannot both pass the check. */
  let changing: Promise<unknown> = Promise.resolve();
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const run = changing.then(work);
    changing = run.catch(() => undefined);
    return run;
  }

  /** After a change: each UpdatedAt later than the last, so the newest row always wins. */
  const stamp = (previous?: StoredReceiver) => Math.max(now(), (previous?.updatedAt ?? 0) + 1);

  return {
    async list() {
      const fromFile = fileReceivers().map(
        (r): ReceiverView => ({
          id: null,
          name: r.name,
          kind: r.kind,
          hint: r.hint,
          severity: null,
          channel: null,
          source: {
            type: 'file',
            path: options.routingFile,
            variable: r.secretEnv ?? '',
            variableSet: r.missingEnv === null,
          },
          problem: r.missingEnv ? `environment variable ${r.missingEnv} is not set: it sends nothing` : null,
        }),
      );
      return [...fromFile, ...(await store.list()).map(viewOf)];
    },

    severities: () => [
      ...new Set(engine.rules().flatMap((r) => (r.labels.severity ? [r.labels.severity] : []))),
    ],

    add: (input, by) =>
      serially(async () => {
        await checkName(input.name, null);
        const id = randomBytes(24)
          .toString('base64')
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(0, 16);
        const secret = secretOf(input) ?? '';
        const at = stamp();
        const receiver: StoredReceiver = {
          id,
          name: input.name,
          kind: input.kind,
          config: {
            severity: input.severity,
            ...(input.kind === 'slack' && input.channel ? { channel: input.channel } : {}),
          },
          sealed: box.seal(secret, associated({ id, kind: input.kind })),
          hint: maskedHint(input.kind, secret),
          createdBy: by,
          createdAt: at,
          updatedBy: by,
          updatedAt: at,
        };
        await store.save(receiver);
        await reload();
        return viewOf(receiver);
      }),

    edit: (id, input, by) =>
      serially(async () => {
        const before = await find(id);
        await checkName(input.name, id);
        const secret = secretOf(input);
        if (input.kind !== before.kind && !secret)
          throw new ReceiverAdminError(
            'BAD_REQUEST',
            `changing the kind to ${input.kind} needs its ${input.kind === 'pagerduty' ? 'routing key' : 'URL'}`,
          );
        const config = {
          severity: input.severity,
          ...(input.kind === 'slack' && input.channel ? { channel: input.channel } : {}),
        };
        const after: StoredReceiver = {
          ...before,
          name: input.name,
          kind: input.kind,
          config,
          ...(secret
            ? {
                sealed: box.seal(secret, associated({ id, kind: input.kind })),
                hint: maskedHint(input.kind, secret),
              }
            : {}),
          updatedBy: by,
          updatedAt: stamp(before),
        };
        const changed = [
          ...(before.name !== after.name ? ['name'] : []),
          ...(before.kind !== after.kind ? ['kind'] : []),
          ...(before.config.severity !== config.severity ? ['severity'] : []),
          ...((before.config.channel ?? null) !== (config.channel ?? null) ? ['channel'] : []),
          ...(secret ? ['secret'] : []),
        ];
        await store.save(after);
        await reload();
        return { view: viewOf(after), changed };
      }),

    remove: (id, by) =>
      serially(async () => {
        const receiver = await find(id);
        await store.remove(receiver, by, stamp(receiver));
        await reload();
        return viewOf(receiver);
      }),

    async test(ref, by) {
      if ('file' in ref) {
        const file = fileReceivers().find((r) => r.name === ref.file);
        if (!file)
          throw new ReceiverAdminError('NOT_FOUND', `the routing file has no receiver "${ref.file}"`);
        if (file.missingEnv)
          throw new ReceiverAdminError(
            'BAD_REQUEST',
            `${file.name} is off: environment variable ${file.missingEnv} is not set`,
          );
        const answer = await engine.testReceiver(file.name, by);
        if (!answer) throw new ReceiverAdminError('NOT_FOUND', `receiver ${file.name} is not running`);
        return { name: file.name, answer };
      }
      const receiver = await find(ref.id);
      const opened = open(receiver);
      if ('problem' in opened)
        throw new ReceiverAdminError('BAD_REQUEST', `${receiver.name}: ${opened.problem}`);
      const answer = await sendTestNotification(buildReceiver(specOf(receiver, opened.secret)), {
        externalUrl: options.externalUrl,
        by,
      });
      return { name: receiver.name, answer };
    },

    reload,
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
