// The real dashboard process (node dashboard/server.ts after `next build`) on free loopback ports
// over a given DATA_DIR, with one viewer user, and a signed-in session cookie for the benchmark.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../../dashboard/src/server/auth/password.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const USER = 'bench';

export interface RunningDashboard {
  url: string;
  cookie: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Runs `next build` once when the dashboard has never been built (≈ 20 s here, bounded). */
export async function ensureBuilt(log: (line: string) => void): Promise<void> {
  if (existsSync(join(REPO_ROOT, 'dashboard', '.next', 'BUILD_ID'))) return;
  log('dashboard: no build found, running next build once');
  const child = spawn(NODE, [join(REPO_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: join(REPO_ROOT, 'dashboard'),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await exited(child, 600_000);
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

export async function startDashboard(
  dataDir: string,
  log: (line: string) => void,
  extraEnv: Record<string, string> = {},
): Promise<RunningDashboard> {
  const password = randomBytes(12).toString('hex');
  const [port, collectorPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(NODE, ['dashboard/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      COLLECTOR_PORT: String(collectorPort),
      DATA_DIR: dataDir,
      DASHBOARD_USERS: `${USER}:viewer:${await hashPassword(password)}`,
      // No synthetic page check: a second Chromium would skew the figures.
      PAGE_CHECK_INTERVAL: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    if ((await exited(child, 20_000)) === null) log('dashboard: killed after 20 s');
  };
  try {
    await waitReady(url, child, 120_000, () => output);
    const cookie = await signIn(url, USER, password);
    log(
      `dashboard: ready on ${url}, signed in as ${USER} (viewer)${JSON.stringify(extraEnv) === '{}' ? '' : ` with ${JSON.stringify(extraEnv)}`}`,
    );
    return { url, cookie, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitReady(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dashboard exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/signin`, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`dashboard not ready after ${timeoutMs / 1000} s:\n${output()}`);
}

/** Signs in through the tRPC mutation the sign-in page calls; returns the session cookie pair. */
async function signIn(url: string, name: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'bench' },
    body: JSON.stringify({ name, password }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await res.text();
  const setCookie = res.headers.getSetCookie()[0];
  if (!res.ok || !setCookie) throw new Error(`sign-in failed (${res.status}): ${body.slice(0, 300)}`);
  return setCookie.split(';')[0] ?? '';
}
