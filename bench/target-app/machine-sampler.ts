// Where the machine's CPU went during a phase: the target shares 2 cores with PostgreSQL, Redis and
// k6, so a slow phase is explained by who was busy — or by time the hypervisor took (steal). Read
// from /proc at the start and end of the window (Linux only; elsewhere every figure is null).
import { readdirSync, readFileSync } from 'node:fs';
import { CLOCK_TICKS } from './target-process.ts';

type Totals = {
  at: number;
  /** /proc/stat `cpu` line: every field, and the steal and iowait ones. */
  all: number;
  steal: number;
  iowait: number;
  idle: number;
  /** CPU seconds of processes by name (live ones, plus reaped children of postmaster). */
  byName: Record<string, number>;
  /** The bench process's reaped children (k6 runs are reaped at their end). */
  reapedChildren: number;
};

export type MachineWindow = {
  /** Share of all cores' time, 0–1. */
  busy: number | null;
  steal: number | null;
  iowait: number | null;
  /** Cores used on average over the window. */
  postgresCores: number | null;
  redisCores: number | null;
  k6Cores: number | null;
  /** cpuReferenceMs() just before the window: the machine's speed at the time. */
  referenceMs: number;
};

const WATCHED = ['postgres', 'redis-server'] as const;

function procStat(pid: string): { comm: string; self: number; children: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { comm, self: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

function read(): Totals | null {
  let cpuLine: number[];
  try {
    cpuLine = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return null;
  }
  const byName: Record<string, number> = Object.fromEntries(WATCHED.map((n) => [n, 0]));
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const p = procStat(pid);
    if (p === null || !(p.comm in byName)) continue;
    // A PostgreSQL backend that exits is reaped by the postmaster: its time moves to `children`.
    byName[p.comm]! += (p.self + p.children) / CLOCK_TICKS;
  }
  const self = procStat('self');
  return {
    at: performance.now(),
    all: cpuLine.slice(0, 8).reduce((a, b) => a + b, 0),
    idle: cpuLine[3] ?? 0,
    iowait: cpuLine[4] ?? 0,
    steal: cpuLine[7] ?? 0,
    byName,
    reapedChildren: (self?.children ?? 0) / CLOCK_TICKS,
  };
}

/** Car-like records (~1.5 MB as JSON) for the reference work. */
const REFERENCE_INPUT = Array.from({ length: 10_000 }, (_, i) => ({
  id: i,
  make: `Make ${i % 40}`,
  model: `Model ${i % 300}`,
  price: i * 13.7,
  year: 2000 + (i % 25),
  features: ['sunroof', 'heated seats', 'tow bar'].slice(i % 3),
  dealer: { name: `Dealer ${i % 500}`, city: `City ${i % 90}` },
}));

/**
 * Median milliseconds of a fixed piece of single-threaded work like the service's (a JSON round
 * trip of 10,000 car-like records, 5 times; allocation and GC included), taken while the target is
 * idle: it tells a slow machine from a slow service. Seen: before a mix phase that ran slow it took
 * 38 ms against 30–31 ms before the others, while PostgreSQL spent 28 % more CPU on the same
 * buffer pages per request — and the hypervisor reported ~0 steal.
 */
export function cpuReferenceMs(): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    JSON.parse(JSON.stringify(REFERENCE_INPUT));
    times.push(performance.now() - started);
  }
  return round2(times.sort((a, b) => a - b)[2]!);
}

/** Starts a window now (after measuring the machine's speed); the returned function ends it. */
export function beginMachineWindow(): () => MachineWindow {
  const referenceMs = cpuReferenceMs();
  const start = read();
  return () => {
    const end = read();
    if (start === null || end === null || end.all <= start.all)
      return {
        busy: null,
        steal: null,
        iowait: null,
        postgresCores: null,
        redisCores: null,
        k6Cores: null,
        referenceMs,
      };
    const ticks = end.all - start.all;
    const seconds = (end.at - start.at) / 1000;
    const share = (field: 'steal' | 'iowait' | 'idle') => round3((end[field] - start[field]) / ticks);
    const cores = (name: string) => round2(((end.byName[name] ?? 0) - (start.byName[name] ?? 0)) / seconds);
    return {
      busy: round3(1 - (end.idle - start.idle + end.iowait - start.iowait) / ticks),
      steal: share('steal'),
      iowait: share('iowait'),
      postgresCores: cores('postgres'),
      redisCores: cores('redis-server'),
      k6Cores: round2((end.reapedChildren - start.reapedChildren) / seconds),
      referenceMs,
    };
  };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
