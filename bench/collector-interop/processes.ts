// The two real processes of the interop bench: our collector (`node collector/src/main.ts`, its
// own process so it can be stalled with SIGSTOP and restarted with SIGTERM) and the official
// OpenTelemetry Collector built by build-otelcol.sh, run as the agent in front of it.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OTELCOL_BINARY = join(REPO_ROOT, '.tools', 'otelcol', 'dist', 'otelcol-interop');
const AGENT_CONFIG = join(import.meta.dirname, 'agent.yaml');

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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every child still running, so a failed or interrupted run leaves none behind (stopped ones too). */
const children = new Set<ChildProcess>();
export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
}

function track(child: ChildProcess, logFile: string): Promise<void> {
  children.add(child);
  const append = (chunk: Buffer) => appendFileSync(logFile, chunk);
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return new Promise((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
}

/** SIGTERM, then SIGKILL after `graceMs`; says which one ended it. */
async function terminate(child: ChildProcess, exited: Promise<void>, graceMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) return { killed: false };
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
  return { killed };
}

export interface OurCollector {
  pid: number;
  /** Its own counters (GET /metrics, the lines without labels, and `requests` from /health), read while it runs. */
  counters(): Promise<Record<string, number>>;
  pause(): void;
  resume(): void;
  /** SIGTERM (it drains and saves its state); SIGKILL only if it has not exited within 60 s. */
  stop(): Promise<{ killed: boolean }>;
}

export async function startOurCollector(opts: {
  dataDir: string;
  port: number;
  logFile: string;
}): Promise<OurCollector> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'collector', 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATA_DIR: opts.dataDir,
      COLLECTOR_HOST: '127.0.0.1',
      COLLECTOR_PORT: String(opts.port),
      // Its own samples would only add rows to skip; the counters are read from /metrics instead.
      COLLECTOR_SELF_TELEMETRY_INTERVAL: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = track(child, opts.logFile);
  const url = `http://127.0.0.1:${opts.port}`;
  await waitFor(`our collector on ${url}`, 120_000, exited, async () => (await fetch(`${url}/ready`)).ok);
  return {
    pid: child.pid ?? 0,
    async counters() {
      const counters = promCounters(await (await fetch(`${url}/metrics`)).text());
      const health = (await (await fetch(`${url}/health`)).json()) as { counters?: { requests?: number } };
      return { ...counters, requests: health.counters?.requests ?? 0 };
    },
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    stop: () => terminate(child, exited, 60_000),
  };
}

export interface Agent {
  /** Its own metrics, Prometheus text, summed over labels (name → value), `_total` kept. */
  metrics(): Promise<Map<string, number>>;
  stop(): Promise<{ killed: boolean }>;
}

export async function startAgent(opts: {
  otlpPort: number;
  metricsPort: number;
  oursPort: number;
  logFile: string;
}): Promise<Agent> {
  if (!existsSync(OTELCOL_BINARY))
    throw new Error(`${OTELCOL_BINARY} is missing: run bash bench/collector-interop/build-otelcol.sh`);
  const child = spawn(OTELCOL_BINARY, ['--config', `file:${AGENT_CONFIG}`], {
    env: {
      ...process.env,
      AGENT_OTLP_PORT: String(opts.otlpPort),
      AGENT_METRICS_PORT: String(opts.metricsPort),
      OURS_PORT: String(opts.oursPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = track(child, opts.logFile);
  const metricsUrl = `http://127.0.0.1:${opts.metricsPort}/metrics`;
  await waitFor('the agent', 60_000, exited, async () => {
    const [metrics, otlp] = await Promise.all([
      fetch(metricsUrl),
      fetch(`http://127.0.0.1:${opts.otlpPort}/v1/traces`, { method: 'POST' }),
    ]);
    return metrics.ok && otlp.status > 0;
  });
  return {
    metrics: async () => promSums(await (await fetch(metricsUrl)).text()),
    stop: () => terminate(child, exited, 30_000),
  };
}

async function waitFor(
  what: string,
  timeoutMs: number,
  exited: Promise<void>,
  ready: () => Promise<boolean>,
) {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${what} exited before it was ready (see its log)`);
    try {
      if (await ready()) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${what} not ready within ${timeoutMs / 1000} s`);
}

/** Unlabelled samples of a Prometheus text page. */
function promCounters(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) out[match[1]] = Number(match[2]);
  }
  return out;
}

/** Every sample of a Prometheus text page, summed over its labels but `data_type`/`otel_signal`. */
function promSums(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match?.[1] || !match[3]) continue;
    const labels = match[2] ?? '';
    // The agent's HTTP client: its attempts, by answer (status code, or the error type).
    const kind =
      match[1] === 'http_client_request_duration_count'
        ? (/http_response_status_code="(\d+)"/.exec(labels)?.[1] ??
          /error_type="([^"]+)"/.exec(labels)?.[1] ??
          'other')
        : /(?:data_type|otel_signal)="(\w+)"/.exec(labels)?.[1];
    const key = kind ? `${match[1]}{${kind}}` : match[1];
    out.set(key, (out.get(key) ?? 0) + Number(match[3]));
  }
  return out;
}
