// What the server subcommand families (`schedules …`, `receivers …`, `users …`) share: their flags
// parsed with the connection flags, and a usage mistake as one line on stderr with exit 2 — before
// any request is sent.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { CLI_EXIT, HELP } from './cli-exit.ts';
import { CONNECTION_OPTIONS } from './cli-server.ts';

/** `family: message (cli.ts --help for usage)` on stderr; the usage exit code. */
export const familyUsage = (family: string) => (message: string) => {
  console.error(`${family}: ${message} ${HELP}`);
  return CLI_EXIT.usage;
};

/** A family's flags (its own and the connection flags) and positionals; a thrown message on a bad flag. */
export function parseFamilyArgs<const O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { ...options, ...CONNECTION_OPTIONS },
  });
}
