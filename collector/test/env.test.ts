// The environment → store and collector options that both entry points (the collector process and
// the dashboard's all-in-one process) start from.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectorOptionsFromEnv, parseCollectorEnv, storeOptionsFromEnv } from '../src/index.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('storeOptionsFromEnv and collectorOptionsFromEnv', () => {
  it('default to the embedded store under the repository’s .data, keeping data forever', () => {
    const env = parseCollectorEnv({});
    expect(storeOptionsFromEnv(env)).toEqual({
      url: undefined,
      dataDir: join(repoRoot, '.data', 'chdb'),
      maxMemoryBytes: 2048 * 1024 * 1024,
      merge: { minPartsToMerge: 10 },
      ttlDays: { metrics: undefined, traces: undefined, logs: undefined },
      cluster: undefined,
    });
    expect(collectorOptionsFromEnv(env)).toEqual({
      host: '127.0.0.1',
      port: 4318,
      maxBodyBytes: 20 * 1024 * 1024,
      queueDir: join(repoRoot, '.data', 'collector-queue'),
      queue: { maxBytes: 1024 * 1024 * 1024 },
      batch: { ackAfter: 'insert', coalesceMs: 0 },
      scrapeTargets: [],
      apiKeys: [],
      selfTelemetry: { intervalMs: 10_000, serviceName: 'collector' },
    });
  });

  it('carry every variable', () => {
    const env = parseCollectorEnv({
      CLICKHOUSE_URL: 'https://default:pw@ch:8443/perf/',
      DATA_DIR: ' /srv/perf ',
      COLLECTOR_HOST: '0.0.0.0',
      COLLECTOR_PORT: '5318',
      COLLECTOR_MAX_BODY_BYTES: '65536',
      COLLECTOR_QUEUE_MAX_BYTES: '1048576',
      COLLECTOR_TTL_DAYS_METRICS: '30',
      COLLECTOR_TTL_DAYS_TRACES: '7',
      COLLECTOR_TTL_DAYS_LOGS: '3',
      COLLECTOR_CLUSTER: '{cluster}',
      COLLECTOR_REPLICATED: 'false',
      COLLECTOR_ACK_AFTER: 'queue',
      COLLECTOR_COALESCE_MS: '2500',
      COLLECTOR_STORE_MAX_MEMORY_MB: '512',
      COLLECTOR_STORE_MIN_PARTS_TO_MERGE: '4',
      COLLECTOR_SCRAPE_TARGETS: '[{"job":"t","url":"http://127.0.0.1:8080/metrics"}]',
      COLLECTOR_API_KEYS: 'k'.repeat(16),
      COLLECTOR_SELF_TELEMETRY_INTERVAL: '0',
      COLLECTOR_SERVICE_NAME: 'edge-collector',
    });
    expect(storeOptionsFromEnv(env)).toEqual({
      url: 'https://default:pw@ch:8443/perf',
      dataDir: '/srv/perf/chdb',
      maxMemoryBytes: 512 * 1024 * 1024,
      merge: { minPartsToMerge: 4 },
      ttlDays: { metrics: 30, traces: 7, logs: 3 },
      cluster: { cluster: '{cluster}', replicated: false },
    });
    expect(collectorOptionsFromEnv(env)).toMatchObject({
      host: '0.0.0.0',
      port: 5318,
      maxBodyBytes: 65536,
      queueDir: '/srv/perf/collector-queue',
      queue: { maxBytes: 1048576 },
      batch: { ackAfter: 'queue', coalesceMs: 2500 },
      scrapeTargets: [{ job: 't', url: 'http://127.0.0.1:8080/metrics' }],
      apiKeys: ['k'.repeat(16)],
      selfTelemetry: false,
    });
  });

  it('refuse a coalescing window outside 0 – 60 s', () => {
    expect(() => parseCollectorEnv({ COLLECTOR_COALESCE_MS: '-1' })).toThrow(/COLLECTOR_COALESCE_MS/);
    expect(() => parseCollectorEnv({ COLLECTOR_COALESCE_MS: '60001' })).toThrow(/COLLECTOR_COALESCE_MS/);
  });

  it('read DATA_DIR from the repository root and treat blank variables as unset', () => {
    const env = parseCollectorEnv({ DATA_DIR: 'var/perf', COLLECTOR_PORT: '  ', CLICKHOUSE_URL: '' });
    expect(env.DATA_DIR).toBe(resolve(repoRoot, 'var/perf'));
    expect(env.COLLECTOR_PORT).toBe(4318);
    expect(env.CLICKHOUSE_URL).toBeUndefined();
  });

  it('name the bad variables', () => {
    expect(() => parseCollectorEnv({ CLICKHOUSE_URL: 'clickhouse://ch:9000' })).toThrow(
      /CLICKHOUSE_URL: must be an http\(s\) URL/,
    );
    expect(() => parseCollectorEnv({ COLLECTOR_PORT: '70000' })).toThrow(/COLLECTOR_PORT: .*0\.\.65535/);
    expect(() => parseCollectorEnv({ COLLECTOR_ACK_AFTER: 'never' })).toThrow(/COLLECTOR_ACK_AFTER/);
  });
});
