// Command line:
//   node alert-rules/src/cli.ts check [dir]      validate every rule file (default: rules/), `file:line: reason`;
//                                                raw `sql:` rules are judged by ClickHouse's parser in a throwaway embedded store
//   node alert-rules/src/cli.ts test [files…]    run rule tests (default: tests/*.yaml), promtool style
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRuleError, loadRules } from './load-rules.ts';

const usage = 'usage: node alert-rules/src/cli.ts check [dir] | test [files…]';
const defaultDir = fileURLToPath(new URL('../rules', import.meta.url));
const defaultTestsDir = fileURLToPath(new URL('../tests', import.meta.url));

type Print = (line: string) => void;

export function runCli(args: string[], out: Print, err: Print): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'check' && rest.length <= 1) return check(rest[0] ?? defaultDir, out, err);
  if (command === 'test') return test(rest.length > 0 ? rest : shippedTests(), out, err);
  err(usage);
  return Promise.resolve(2);
}

async function check(dir: string, out: Print, err: Print): Promise<number> {
  const loaded = loadRules(dir);
  const errors = [...loaded.errors];
  const sqlRules = loaded.rules.filter((r) => r.type === 'sql');
  if (sqlRules.length > 0) {
    // Loaded on demand: files without SQL rules are checked without opening a store.
    const { judgeSqlRulesOffline } = await import('./query/judge-offline.ts');
    errors.push(...(await judgeSqlRulesOffline(sqlRules)));
  }
  if (errors.length > 0) {
    for (const e of errors) err(formatRuleError(e));
    err(`${errors.length} error${errors.length === 1 ? '' : 's'} in ${loaded.files.length} files`);
    return 1;
  }
  out(`ok: ${loaded.rules.length} rules in ${loaded.files.length} files`);
  return 0;
}

export function shippedTests(): string[] {
  return readdirSync(defaultTestsDir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => relative(process.cwd(), join(defaultTestsDir, name)));
}

async function test(files: string[], out: Print, err: Print): Promise<number> {
  // Loaded on demand: `check` stays fast and never touches the store.
  const { formatRuleTestResult, passed, runRuleTests } = await import('./rule-test/run-tests.ts');
  const results = await runRuleTests(files);
  for (const r of results) for (const line of formatRuleTestResult(r)) (passed(r) ? out : err)(line);
  return results.every(passed) ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const code = await runCli(
    process.argv.slice(2),
    (line) => console.log(line),
    (line) => console.error(line),
  );
  process.exitCode = code;
}
