// The target's admin settings, read and switched through its admin API (bearer ADMIN_TOKEN): one
// client for any resource that answers GET with its state and takes PUT (/admin/optimisations,
// /admin/chaos, /admin/rate-limits), plus the target's cache counters from its /metrics.
import { z } from 'zod';
import type { Settings } from './settings.ts';

export type TargetSettingsClient = {
  readonly resource: string;
  /** The settings in force (settingsOfState). */
  read(signal?: AbortSignal): Promise<Settings>;
  /** PUT `settings`; the settings in force the target answers. */
  write(settings: Settings, signal?: AbortSignal): Promise<Settings>;
};

export class TargetSettingsError extends Error {
  override name = 'TargetSettingsError';
}

const stateSchema = z.record(z.string(), z.json());
const firstLine = (text: string) => (text.split('\n')[0] ?? '').slice(0, 300);

/** Bookkeeping fields a state carries that are not settings (never sent back). */
const NOT_SETTINGS = new Set(['updatedAt']);

/**
 * The settings in a resource's answer: /admin/optimisations answers { current, start, presets,
 * notes, updatedAt } (the settings in force are `current`); /admin/chaos and /admin/rate-limits
 * answer the settings themselves plus `updatedAt`.
 */
export function settingsOfState(state: Record<string, unknown>): Settings {
  const current = state.current;
  if (current !== null && typeof current === 'object' && !Array.isArray(current) && 'start' in state)
    return current as Settings;
  return Object.fromEntries(Object.entries(state).filter(([k]) => !NOT_SETTINGS.has(k))) as Settings;
}

export function createTargetSettingsClient(opts: {
  target: string;
  adminToken: string;
  resource: string;
  timeoutMs?: number;
}): TargetSettingsClient {
  const url = `${opts.target.replace(/\/+$/, '')}${opts.resource}`;
  const call = async (method: 'GET' | 'PUT', body?: Settings, signal?: AbortSignal): Promise<Settings> => {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${opts.adminToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new TargetSettingsError(`${method} ${url}: ${(error as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new TargetSettingsError(`${method} ${url}: ${res.status} ${firstLine(text)}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TargetSettingsError(`${method} ${url}: the answer is not JSON: ${firstLine(text)}`);
    }
    const state = stateSchema.safeParse(parsed);
    if (!state.success)
      throw new TargetSettingsError(`${method} ${url}: the answer is not a settings object`);
    return settingsOfState(state.data);
  };
  return {
    resource: opts.resource,
    read: (signal) => call('GET', undefined, signal),
    write: (settings, signal) => call('PUT', settings, signal),
  };
}

/** Cumulative cache lookups of the target (its prom-client /metrics, every kind summed). */
export type CacheCounters = { l1Hits: number; l1Misses: number; l2Hits: number };

const COUNTER_LINE = /^cache_(hits|misses)_total\{([^}]*)\} ([0-9.e+]+)$/;

export function parseCacheCounters(metricsText: string): CacheCounters {
  const out: CacheCounters = { l1Hits: 0, l1Misses: 0, l2Hits: 0 };
  for (const line of metricsText.split('\n')) {
    const m = COUNTER_LINE.exec(line);
    if (!m) continue;
    const level = /level="(l1|l2)"/.exec(m[2] ?? '')?.[1];
    const value = Number(m[3]);
    if (level === 'l1' && m[1] === 'hits') out.l1Hits += value;
    else if (level === 'l1') out.l1Misses += value;
    else if (level === 'l2' && m[1] === 'hits') out.l2Hits += value;
  }
  return out;
}

/**
 * Share of lookups answered by any cache level between two readings: every lookup tries L1 first,
 * so lookups = L1 hits + L1 misses, hits = L1 hits + L2 hits. Null without lookups.
 */
export function cacheHitRate(before: CacheCounters, after: CacheCounters): number | null {
  const l1Hits = after.l1Hits - before.l1Hits;
  const lookups = l1Hits + after.l1Misses - before.l1Misses;
  if (lookups <= 0) return null;
  return (l1Hits + after.l2Hits - before.l2Hits) / lookups;
}

export async function readCacheCounters(target: string, signal?: AbortSignal): Promise<CacheCounters | null> {
  try {
    const res = await fetch(`${target.replace(/\/+$/, '')}/metrics`, {
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000),
    });
    return res.ok ? parseCacheCounters(await res.text()) : null;
  } catch {
    return null;
  }
}
