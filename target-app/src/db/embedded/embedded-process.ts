// The target's side of the embedded database: starts its process (embedded-main.ts), waits until it
// listens, restarts it on the same port when it dies and its data is on disk, and stops it on close.
// The child exits by itself when the target goes (its IPC channel closes), so none is left orphaned.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { isEmbeddedDbMessage } from './embedded-messages.ts';
import { type EmbeddedOptionsInput, embeddedArgs } from './embedded-options.ts';

const MAIN = join(import.meta.dirname, 'embedded-main.ts');

export type EmbeddedDatabaseOptions = EmbeddedOptionsInput & {
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** PGlite's start (WASM, then crash recovery of a data directory): 120 s by default. */
  startTimeoutMs?: number;
  /** Restart delay after an unexpected exit: 1 s doubling to 30 s, back to 1 s after a minute up. */
  backoff?: { minMs: number; maxMs: number; resetAfterMs: number };
  stopGraceMs?: number;
};

export type EmbeddedDatabase = {
  /** postgres:// URL of the wire-protocol server (loopback). */
  readonly url: string;
  /** The database process's pid while one runs. */
  pid(): number | undefined;
  /** Starts after unexpected exits. */
  restarts(): number;
  /** SIGTERM, then SIGKILL after the grace period. Idempotent. */
  stop(): Promise<void>;
};

type Started = { child: ChildProcess; host: string; port: number };

function launch(options: EmbeddedOptionsInput, timeoutMs: number): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, ...embeddedArgs(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: process.env,
  });
  return new Promise<Started>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      child.removeAllListeners('message');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      reject(new Error(message));
    };
    const timer = setTimeout(
      () => fail(`the embedded database did not start within ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    );
    child.once('error', (error) => fail(`the embedded database could not start: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`the embedded database exited (${signal ?? `code ${code}`}) before it was ready`),
    );
    child.on('message', (message) => {
      if (!isEmbeddedDbMessage(message)) return;
      switch (message.type) {
        case 'ready':
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.removeAllListeners('error');
          resolve({ child, host: message.host, port: message.port });
          return;
        case 'failed':
          fail(message.message);
          return;
      }
    });
  });
}

export async function startEmbeddedDatabase(opts: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const {
    log,
    startTimeoutMs = 120_000,
    stopGraceMs = 10_000,
    backoff = { minMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 },
    ...options
  } = opts;
  const first = await launch(options, startTimeoutMs);
  const host = first.host;
  const port = first.port;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let delayMs = backoff.minMs;
  let restartTimer: NodeJS.Timeout | undefined;

  const watch = (proc: ChildProcess, startedAt: number) => {
    child = proc;
    proc.once('exit', (code, signal) => {
      if (child === proc) child = undefined;
      if (stopping) return;
      const reason = `embedded database exited: ${signal ?? `code ${code}`}`;
      if (options.dataDir === undefined) {
        log(
          'error',
          `${reason}; its data was in memory and is gone: restart the target app (set DATA_DIR to keep the data)`,
        );
        return;
      }
      if (Date.now() - startedAt >= backoff.resetAfterMs) delayMs = backoff.minMs;
      log(
        'error',
        `${reason}; starting it again in ${Math.round(delayMs / 1000)} s (queries fail meanwhile)`,
      );
      scheduleRestart();
    });
  };
  const scheduleRestart = () => {
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      restarts++;
      // Same port: the pool's URL stays valid and its next connection reaches the new process.
      launch({ ...options, port }, startTimeoutMs).then(
        (started) => {
          if (stopping) {
            started.child.kill('SIGTERM');
            return;
          }
          log('info', `embedded database is back on ${host}:${port}`);
          watch(started.child, Date.now());
        },
        (error: unknown) => {
          log('error', `${(error as Error).message}; trying again in ${Math.round(delayMs / 1000)} s`);
          scheduleRestart();
        },
      );
    }, delayMs);
    delayMs = Math.min(delayMs * 2, backoff.maxMs);
  };
  watch(first.child, Date.now());

  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres`,
    pid: () => child?.pid,
    restarts: () => restarts,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearTimeout(restartTimer);
        const proc = child;
        if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const kill = setTimeout(() => proc.kill('SIGKILL'), stopGraceMs);
        await exited;
        clearTimeout(kill);
      })();
      return stopped;
    },
  };
}
