// The real dashboard process (node dashboard/server.ts, after `next build`) on free loopback ports
// over a given DATA_DIR, for tests that attack it as a client would; and HTTP requests from a
// chosen loopback source address (127.0.0.0/8 is all this machine), so one test can be many clients.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './target-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');

export interface DashboardServer {
  url: string;
  collectorUrl: string;
  /** The dashboard process's id. */
  pid: number;
  /** The process's recent stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

export async function startDashboardServer(
  dataDir: string,
  env: Record<string, string>,
): Promise<DashboardServer> {
  if (!existsSync(join(REPO_ROOT, 'dashboard', '.next', 'BUILD_ID')))
    throw new Error('the dashboard is not built: run `bash scripts/setup.sh` (the test command does)');
  const [port, collectorPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(NODE, ['dashboard/server.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      COLLECTOR_PORT: String(collectorPort),
      DATA_DIR: dataDir,
      TARGET_URL: 'http://127.0.0.1:9',
      PAGE_CHECK_INTERVAL: '0',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dashboard exited (${child.exitCode}):\n${output}`);
    if (output.includes('dashboard ready:')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dashboard not ready after 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    collectorUrl: `http://127.0.0.1:${collectorPort}`,
    pid: child.pid ?? 0,
    output: () => output,
    stop,
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

/** One HTTP request from `from` (a loopback address such as 127.0.0.7). */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; from?: string } = {},
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(options.from ? { localAddress: options.from } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`no answer from ${url} in 60 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A tRPC mutation (with the CSRF header the dashboard's client sends) from `from`. */
export function mutate(
  base: string,
  path: string,
  input: unknown,
  extra: { cookie?: string; from?: string } = {},
) {
  return send(`${base}/api/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-trpc-source': 'test',
      ...(extra.cookie ? { cookie: extra.cookie } : {}),
    },
    body: JSON.stringify(input),
    ...(extra.from ? { from: extra.from } : {}),
  });
}

/** The `name=value` of a Set-Cookie answer, or null. */
export function cookieOf(answer: Answer, name = 'cs_session'): string | null {
  const raw = answer.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const pair = all
    .map((c) => c.split(';')[0] ?? '')
    .find((p) => p.startsWith(`${name}=`) && p !== `${name}=`);
  return pair ?? null;
}

/** Signs in through auth.signIn on a running dashboard; the Cookie header value to send. */
export async function signInSession(base: string, name: string, password: string): Promise<string> {
  const answer = await mutate(base, 'auth.signIn', { name, password });
  const cookie = cookieOf(answer);
  if (answer.status !== 200 || !cookie)
    throw new Error(`sign-in as ${name}: ${answer.status} ${answer.body}`);
  return cookie;
}
