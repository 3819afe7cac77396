// The target under test as a real process (`node target-app/src/main.ts`, configured by its
// environment like any deployment), with its RSS and CPU time sampled from /proc while it runs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', '..', 'target-app', 'src', 'main.ts');
/** The V8 flags the target is deployed with (target-app/Dockerfile), so the RSS measured is the real one. */
const NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=120'];
export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const SAMPLE_MS = 200;

export type RunningTarget = {
  readonly url: string;
  readonly pid: number;
  /** Starts a new measurement window: peak RSS and CPU time are counted from here. */
  beginWindow(): void;
  /** Peak RSS (MB) and CPU seconds (user + system, all threads) since beginWindow(). */
  window(): { peakRssMb: number; cpuSeconds: number };
  currentRssMb(): number;
  /** SIGTERM (graceful drain), then SIGKILL after 15 s. */
  stop(): Promise<void>;
};

function readRssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** utime + stime of the whole process (every thread: libuv's pool runs bcrypt and pg parsing). */
function readCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export async function startTarget(env: Record<string, string>, log: (line: string) => void) {
  const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, MAIN], {
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('target-app did not start');
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`target-app did not listen within 180 s:\n${output}`)),
      180_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`target-app exited (${code}) before listening:\n${output.slice(-2000)}`));
    });
  });
  // Keep draining its output so a chatty log never blocks the process on a full pipe; warnings
  // and errors (LOG_LEVEL=warn) are kept for the report.
  const warnings: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line.trim() !== '') warnings.push(line.slice(0, 300));
    if (warnings.length > 50) warnings.splice(0, warnings.length - 50);
  };
  child.stdout?.removeAllListeners('data').on('data', keep);
  child.stderr?.removeAllListeners('data').on('data', keep);

  await waitReady(url, log);
  let peakKb = readRssKb(pid);
  let cpuAtStart = readCpuSeconds(pid);
  const sampler = setInterval(() => {
    peakKb = Math.max(peakKb, readRssKb(pid));
  }, SAMPLE_MS);

  const target: RunningTarget & { warnings: string[] } = {
    url,
    pid,
    warnings,
    beginWindow() {
      peakKb = readRssKb(pid);
      cpuAtStart = readCpuSeconds(pid);
    },
    window() {
      peakKb = Math.max(peakKb, readRssKb(pid));
      return { peakRssMb: round1(peakKb / 1024), cpuSeconds: readCpuSeconds(pid) - cpuAtStart };
    },
    currentRssMb: () => round1(readRssKb(pid) / 1024),
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
  return target;
}

async function waitReady(url: string, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/ready`);
      const body = (await res.json()) as { status?: string };
      if (res.status === 200 && body.status === 'ready') return;
      last = JSON.stringify(body);
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`target never became ready: ${last}`);
  throw new Error(`target-app at ${url} not ready within 60 s (last: ${last})`);
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;
