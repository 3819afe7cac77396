// What bench/idle samples from /proc and the data directory: a process's CPU (all threads, or per
// thread name — ClickHouse names its pools MergeMutate, ThreadPool, …), its RSS (or another
// /proc/<pid>/status field), its children and command line, and the embedded store's part directories.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};
export const cpuOfStat = (stat: string): number => {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
};
/** VmRSS (or RssFile: mapped files such as libchdb.so; RssAnon: the heaps) in MB. */
export const rssMb = (pid: number | undefined, field = 'VmRSS'): number | null => {
  const status = pid === undefined ? null : read(`/proc/${pid}/status`);
  const kb = status ? Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN) : Number.NaN;
  return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null;
};
export const processCpu = (pid: number | undefined): number | null => {
  const stat = pid === undefined ? null : read(`/proc/${pid}/stat`);
  return stat ? cpuOfStat(stat) : null;
};
/** CPU seconds per thread name (ClickHouse names its pools: MergeMutate, ThreadPool, …). */
export const threadCpu = (pid: number): Map<string, number> => {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const stat = read(`/proc/${pid}/task/${tid}/stat`);
    const comm = read(`/proc/${pid}/task/${tid}/comm`)?.trim();
    if (!stat || !comm) continue;
    // Numbered pools (e.g. "QueryPipelineEx") stay one name; digits at the end are dropped.
    const name = comm.replace(/[\d:]+$/, '') || comm;
    out.set(name, (out.get(name) ?? 0) + cpuOfStat(stat));
  }
  return out;
};
export const childrenOf = (pid: number): number[] =>
  (read(`/proc/${pid}/task/${pid}/children`) ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
export const commandOf = (pid: number): string => (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ');

/** Part directories of the embedded store (MergeTree parts: `<partition>_<min>_<max>_<level>[_<mutation>]`). */
export function parts(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 7) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name === 'detached' || e.name.startsWith('tmp')) continue;
      const path = join(d, e.name);
      if (/^[^_/]+_\d+_\d+_\d+(_\d+)?$/.test(e.name)) out.push(path);
      else walk(path, depth + 1);
    }
  };
  walk(dir, 0);
  return out;
}
/**
 * A part made by a merge spans more than one insert's block. Its level alone does not say so: an
 * insert into an AggregatingMergeTree or ReplacingMergeTree (the rollups, cp_*) is written at level 1.
 */
export const isMerged = (partPath: string) => {
  const [, min, max] = partPath.split('/').at(-1)?.split('_') ?? [];
  return Number(max) > Number(min);
};
