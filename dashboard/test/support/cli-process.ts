// The load-test CLI as a person (or a CI job) runs it — `node load-tests/src/cli.ts …` in its own
// process — and the API tokens it signs in with, created by an admin through the server.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mutate } from './dashboard-server.ts';

const CLI = fileURLToPath(new URL('../../../load-tests/src/cli.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with `args`; the server and token from `env` only (never the runner's PERF_* settings). */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, PERF_SERVER_URL: '', PERF_TOKEN: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** An API token created by an admin (its session cookie) through tokens.create, valid for a day. */
export async function createApiToken(
  url: string,
  adminCookie: string,
  name: string,
  role: 'viewer' | 'qa' | 'admin',
): Promise<{ token: string; id: string }> {
  const answer = await mutate(
    url,
    'tokens.create',
    { name, role, expiresInDays: 1 },
    { cookie: adminCookie },
  );
  const created = JSON.parse(answer.body).result.data as { token: string; record: { id: string } };
  return { token: created.token, id: created.record.id };
}
