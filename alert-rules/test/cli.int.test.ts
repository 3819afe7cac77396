import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'alert-rules-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function capture(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

describe('check', () => {
  it('passes the shipped rules (the default directory)', async () => {
    expect(await capture(['check'])).toEqual({ code: 0, out: ['ok: 20 rules in 10 files'], err: [] });
  });

  it('prints file:line: reason for each problem and exits 1', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'groups:\n  - name: g\n    interval: soon\n');
    const result = await capture(['check', dir]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `${relative(process.cwd(), join(dir, 'bad.yaml'))}:3: group "g" interval: "soon" is not a duration (use e.g. 500ms, 10s, 1m, 1h30m)`,
      '1 error in 1 files',
    ]);
  });

  it('refuses a raw sql rule that reads a file, judged by ClickHouse, with its file and line', async () => {
    const attack = join(dir, 'attack');
    mkdirSync(attack, { recursive: true });
    writeFileSync(
      join(attack, 'leak.yaml'),
      `groups:
  - name: g
    rules:
      - alert: Leak
        sql: "SELECT file($$.data/session-secret$$) AS secret, 1 AS value SETTINGS readonly = 0"
        window: 1m
        op: ">"
        threshold: 0
`,
    );
    const result = await capture(['check', attack]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      `${relative(process.cwd(), join(attack, 'leak.yaml'))}:4: rule "Leak" sql: must not call file() (not on the rule function list)`,
      `${relative(process.cwd(), join(attack, 'leak.yaml'))}:4: rule "Leak" sql: must not set SETTINGS (the engine runs it read-only and time-bounded)`,
      '2 errors in 1 files',
    ]);
  });

  it('runs as a command under Node with its exit code', async () => {
    const output = execFileSync(process.execPath, [cli, 'check'], { encoding: 'utf8' });
    expect(output.trim()).toBe('ok: 20 rules in 10 files');
    let status = 0;
    try {
      execFileSync(process.execPath, [cli, 'check', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
    expect((await capture(['lint'])).code).toBe(2);
  }, 20_000); // two Node processes; slow on a loaded machine
});
