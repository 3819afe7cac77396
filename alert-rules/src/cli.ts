// Command line: `node alert-rules/src/cli.ts check [dir]` validates every rule file in a
// directory (default: this package's rules/), printing `file:line: reason` for each problem.
import { fileURLToPath } from 'node:url';
import { formatRuleError, loadRules } from './load-rules.ts';

const usage = 'usage: node alert-rules/src/cli.ts check [dir]';
const defaultDir = fileURLToPath(new URL('../rules', import.meta.url));

export function runCli(args: string[], out: (line: string) => void, err: (line: string) => void): number {
  const [command, dir = defaultDir, ...extra] = args;
  if (command !== 'check' || extra.length > 0) {
    err(usage);
    return 2;
  }
  const loaded = loadRules(dir);
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) err(formatRuleError(e));
    err(
      `${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'} in ${loaded.files.length} files`,
    );
    return 1;
  }
  out(`ok: ${loaded.rules.length} rules in ${loaded.files.length} files`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = runCli(
    process.argv.slice(2),
    (line) => console.log(line),
    (line) => console.error(line),
  );
}
