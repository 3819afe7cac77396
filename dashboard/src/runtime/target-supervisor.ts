// The all-in-one `npm start` runs the target app as a child of the dashboard, so the control plane
// outlives the system it watches: when the target exits on its own (a crash, an OOM kill, a
// SIGKILL) the dashboard keeps running, says why, ends the load-test runs aimed at it as failed with
// that reason, and starts it again with backoff (1 s, doubling to 30 s; back to 1 s once it has run
// for a minute). TargetDown pages meanwhile (rules/scrape.yaml). On shutdown the target gets
// SIGTERM, and SIGKILL if it is still there after the grace period.
import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../env.ts';

/** Variables of the dashboard the target must not see (its own secrets and the store's). */
const DASHBOARD_ONLY = [
  'DASHBOARD_USERS',
  'SESSION_SECRET',
  'OIDC_CLIENT_SECRET',
  'COLLECTOR_API_KEYS',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_RULES_URL',
  'TARGET_ADMIN_TOKEN',
];

/**
 * How `npm start` runs the target: this Node, target-app/src/main.ts on TARGET_URL's host and
 * port, within the 200 MB memory budget (young generation 4 MiB per semi-space, old 120 MiB:
 * target-app/README.md), exporting OTLP to this process's collector with the first ingest key.
 */
export function targetCommand(
  env: { TARGET_URL: string; COLLECTOR_API_KEYS: string[] },
  otlpUrl: string,
  processEnv: NodeJS.ProcessEnv = process.env,
): Pick<TargetSupervisorOptions, 'command' | 'args' | 'cwd' | 'env'> {
  const url = new URL(env.TARGET_URL);
  const childEnv: NodeJS.ProcessEnv = { ...processEnv };
  for (const name of DASHBOARD_ONLY) delete childEnv[name];
  const key = env.COLLECTOR_API_KEYS[0];
  return {
    command: process.execPath,
    args: ['--max-semi-space-size=4', '--max-old-space-size=120', 'target-app/src/main.ts'],
    cwd: REPO_ROOT,
    env: {
      ...childEnv,
      HOST: url.hostname.replace(/^\[|\]$/g, ''),
      PORT: url.port || (url.protocol === 'https:' ? '443' : '80'),
      OTEL_EXPORTER_OTLP_ENDPOINT: processEnv.OTEL_EXPORTER_OTLP_ENDPOINT || otlpUrl,
      OTEL_EXPORTER_OTLP_HEADERS:
        processEnv.OTEL_EXPORTER_OTLP_HEADERS || (key ? `x-api-key=${encodeURIComponent(key)}` : ''),
    },
  };
}

export interface TargetSupervisorOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Called with "target exited: SIGKILL" (or "… with code 1") each time it exits on its own. */
  onExit: (reason: string) => void;
  backoff?: { minMs: number; maxMs: number; resetAfterMs: number };
  stopGraceMs?: number;
}

export interface TargetSupervisor {
  /** The running target's process id, if one is running. */
  pid(): number | undefined;
  /** Starts since the first (restarts after exits). */
  restarts(): number;
  stop(): Promise<void>;
}

export function superviseTarget(options: TargetSupervisorOptions): TargetSupervisor {
  const backoff = options.backoff ?? { minMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  let child: ChildProcess | undefined;
  let stopping = false;
  let delayMs = backoff.minMs;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const start = (): void => {
    const startedAt = Date.now();
    const proc = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child = proc;
    proc.once('error', (error) => options.log(`target: could not start: ${error.message}`));
    proc.once('exit', (code, signal) => {
      if (child === proc) child = undefined;
      if (stopping) return;
      const reason = `target exited: ${signal ?? `code ${code}`}`;
      if (Date.now() - startedAt >= backoff.resetAfterMs) delayMs = backoff.minMs;
      options.log(`${reason}; starting it again in ${Math.round(delayMs / 1000)} s`);
      try {
        options.onExit(reason);
      } catch (error) {
        options.log(`target: handling its exit failed: ${(error as Error).message}`);
      }
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (stopping) return;
        restarts++;
        start();
      }, delayMs);
      delayMs = Math.min(delayMs * 2, backoff.maxMs);
    });
  };
  start();

  return {
    pid: () => child?.pid,
    restarts: () => restarts,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const kill = setTimeout(() => proc.kill('SIGKILL'), stopGraceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}
