// Cache instrumentation: hits and misses per level and kind, Redis errors, and operation latency,
// both as OTel instruments and on the prom-client registry.
import type { Meter } from '@opentelemetry/api';
import { CACHE_DURATION_BUCKETS, type PromMetrics } from '../metrics.ts';

export type CacheMetrics = {
  hit(level: 'l1' | 'l2', kind: string): void;
  miss(level: 'l1' | 'l2', kind: string): void;
  /** An L2 (Redis) operation that failed or was skipped because Redis is down. */
  error(kind: string, operation: string): void;
  duration(level: 'l1' | 'l2', kind: string, operation: string, seconds: number): void;
};

export function createCacheMetrics(meter: Meter, prom: PromMetrics): CacheMetrics {
  const hits = meter.createCounter('cache.hits', { unit: '{hit}', description: 'Cache hits by level.' });
  const misses = meter.createCounter('cache.misses', {
    unit: '{miss}',
    description: 'Cache misses by level.',
  });
  const errors = meter.createCounter('cache.errors', {
    unit: '{error}',
    description: 'Failed or skipped L2 (Redis) cache operations.',
  });
  const durations = meter.createHistogram('cache.operation.duration', {
    unit: 's',
    description: 'Duration of cache operations.',
    advice: { explicitBucketBoundaries: CACHE_DURATION_BUCKETS },
  });
  return {
    hit(level, kind) {
      hits.add(1, { 'cache.level': level, 'cache.kind': kind });
      prom.cacheHits.inc({ level, kind });
    },
    miss(level, kind) {
      misses.add(1, { 'cache.level': level, 'cache.kind': kind });
      prom.cacheMisses.inc({ level, kind });
    },
    error(kind, operation) {
      errors.add(1, { 'cache.level': 'l2', 'cache.kind': kind, 'cache.operation': operation });
      prom.cacheErrors.inc({ kind, operation });
    },
    duration(level, kind, operation, seconds) {
      durations.record(seconds, { 'cache.level': level, 'cache.kind': kind, 'cache.operation': operation });
      prom.cacheDuration.observe({ level, kind, operation }, seconds);
    },
  };
}
