// The routing file's receivers, built with their secrets read from the environment by name: those
// whose variable is unset are off (said once in the log, by the variable's name only — secrets
// never reach logs), and every receiver is listed with where it comes from.
import type { AddedReceiver } from './added-receivers.ts';
import { createReceiver, type Receiver, secretEnvOf } from './receivers.ts';
import type { RoutingConfig } from './routing-config.ts';

export interface ReceiverInfo {
  name: string;
  kind: string;
  /** For a routing-file receiver: the variable its secret is read from, when that is unset. */
  missingEnv: string | null;
  /** For a routing-file receiver: the variable holding its URL or routing key. */
  secretEnv: string | null;
  /** Where it sends, masked (never the secret); null while it is off. */
  hint: string | null;
  source: 'file' | 'added';
  /** An added receiver's severity filter (null: every alert). */
  severity: string | null;
}

export interface FileReceivers {
  /** The switched-on receivers by name. */
  byName: ReadonlyMap<string, Receiver>;
  /** Every receiver of the file and then the added ones, as the dashboard lists them. */
  list(added: Iterable<AddedReceiver>): ReceiverInfo[];
}

export function buildFileReceivers(
  routing: RoutingConfig,
  env: Record<string, string | undefined>,
  log: (message: string) => void,
): FileReceivers {
  const byName = new Map<string, Receiver>();
  const missing = new Map<string, string>();
  for (const config of routing.receivers) {
    const built = createReceiver(config, env);
    if ('receiver' in built) byName.set(config.name, built.receiver);
    else {
      missing.set(config.name, built.missing);
      log(`receiver ${config.name} is off: environment variable ${built.missing} is not set`);
    }
  }
  return {
    byName,
    list: (added) => [
      ...routing.receivers.map(
        (r): ReceiverInfo => ({
          name: r.name,
          kind: r.kind,
          missingEnv: missing.get(r.name) ?? null,
          secretEnv: secretEnvOf(r),
          hint: byName.get(r.name)?.hint ?? null,
          source: 'file',
          severity: null,
        }),
      ),
      ...[...added].map(
        (a): ReceiverInfo => ({
          name: a.receiver.name,
          kind: a.receiver.kind,
          missingEnv: null,
          secretEnv: null,
          hint: a.receiver.hint,
          source: 'added',
          severity: a.severity,
        }),
      ),
    ],
  };
}
