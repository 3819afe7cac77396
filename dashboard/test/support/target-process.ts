// The target app as operators run it: `node target-app/src/main.ts` in its own process, configured
// only by the environment given here (never the test runner's own DATABASE_URL or REDIS_URL, so it
// runs on its embedded PGlite), stopped with SIGTERM so it flushes its last telemetry.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../target-app/src/main.ts', import.meta.url));
/** The V8 flags the target is deployed with (target-app/Dockerfile, playwright.config.ts). */
const NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=120'];

export interface TargetProcess {
  readonly url: string;
  readonly pid: number;
  /** SIGTERM (drain, flush telemetry), SIGKILL if still there after 15 s. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now (for a server that must be named before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startTargetProcess(env: Record<string, string>): Promise<TargetProcess> {
  const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('target-app did not start');
  let output = '';
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`target-app did not listen within 90 s:\n${output}`)),
      90_000,
    );
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      const match = /^target-app listening on (http:\/\/\S+)$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`target-app exited (${code}) before listening:\n${output.slice(-2000)}`));
    });
  });
  // Keep reading its output so a full pipe never blocks it.
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();
  await untilReady(url);
  return {
    url,
    pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** /ready answers 200 once the database and cache are up (listening comes a little earlier). */
async function untilReady(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/ready`);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`target-app at ${url} not ready within 60 s (last: ${last})`);
}
