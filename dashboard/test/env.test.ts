import { join } from 'node:path';
import { collectorOptionsFromEnv, parseCollectorEnv, storeOptionsFromEnv } from 'collector';
import { describe, expect, it } from 'vitest';
import { EnvError, parseDashboardEnv, REPO_ROOT, runsDirOf } from '../src/env.ts';

describe('parseDashboardEnv', () => {
  it('has embedded, all-in-one defaults', () => {
    const env = parseDashboardEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: join(REPO_ROOT, '.data'),
      COLLECTOR_ENABLED: true,
      COLLECTOR_PORT: 4318,
      OTLP_ENDPOINT: '127.0.0.1:4318',
      TARGET_URL: 'http://127.0.0.1:8080',
      LOAD_TARGETS: ['http://127.0.0.1:8080'],
      TARGET_SERVICE_NAME: 'car-suggester',
      RULES_DIR: join(REPO_ROOT, 'alert-rules/rules'),
    });
    expect(env.CLICKHOUSE_URL).toBeUndefined();
    expect(storeOptionsFromEnv(env).dataDir).toBe(join(REPO_ROOT, '.data', 'chdb'));
    expect(runsDirOf(env)).toBe(join(REPO_ROOT, '.data', 'runs'));
  });

  it('builds the load-test allowlist from TARGET_URL and LOAD_TARGETS', () => {
    const env = parseDashboardEnv({
      TARGET_URL: 'http://target:8080/',
      LOAD_TARGETS: ' http://staging:8080 ,,http://target:8080',
    });
    expect(env.LOAD_TARGETS).toEqual(['http://target:8080', 'http://staging:8080']);
  });

  it('separate-collector mode: collector off, k6 exports to the named endpoint', () => {
    const env = parseDashboardEnv({
      COLLECTOR_ENABLED: 'false',
      OTLP_ENDPOINT: 'collector:4318',
      CLICKHOUSE_URL: 'http://ch:8123',
    });
    expect(env).toMatchObject({
      COLLECTOR_ENABLED: false,
      OTLP_ENDPOINT: 'collector:4318',
      CLICKHOUSE_URL: 'http://ch:8123',
    });
  });

  it('a collector on every interface is reached by k6 on loopback', () => {
    expect(parseDashboardEnv({ COLLECTOR_HOST: '0.0.0.0', COLLECTOR_PORT: '5000' }).OTLP_ENDPOINT).toBe(
      '127.0.0.1:5000',
    );
  });

  it('reads the collector’s variables by the collector’s own rules', () => {
    const source = {
      CLICKHOUSE_URL: 'http://default:pw@ch:8123/perf/',
      DATA_DIR: ' relative/data ',
      COLLECTOR_HOST: ' 0.0.0.0 ',
      COLLECTOR_PORT: '5318',
      COLLECTOR_TTL_DAYS_METRICS: '30',
      COLLECTOR_ACK_AFTER: 'queue',
      COLLECTOR_QUEUE_MAX_BYTES: '4096',
      COLLECTOR_SERVICE_NAME: 'edge',
    };
    const dashboard = parseDashboardEnv(source);
    const collector = parseCollectorEnv(source);
    expect(storeOptionsFromEnv(dashboard)).toEqual(storeOptionsFromEnv(collector));
    expect(collectorOptionsFromEnv(dashboard)).toEqual(collectorOptionsFromEnv(collector));
    expect(dashboard.DATA_DIR).toBe(join(REPO_ROOT, 'relative/data'));
  });

  it('never echoes the ingest API keys in an error', () => {
    expect(() => parseDashboardEnv({ COLLECTOR_API_KEYS: 'short-secret' })).toThrow(
      /COLLECTOR_API_KEYS: each key/,
    );
    expect(() => parseDashboardEnv({ COLLECTOR_API_KEYS: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('never echoes a password in a store URL, nor a webhook URL, in an error', () => {
    const store = () =>
      parseDashboardEnv({ CLICKHOUSE_URL: 'ftp://default:store-secret@clickhouse:8123/db' });
    expect(store).toThrow(
      /CLICKHOUSE_URL: must be an http\(s\) URL .*\(got "ftp:\/\/default:\*\*\*@clickhouse:8123\/db"\)/,
    );
    expect(store).not.toThrow(/store-secret/);
    const rules = () => parseDashboardEnv({ CLICKHOUSE_RULES_URL: 'http://rules:rules-secret@bad host/db' });
    expect(rules).toThrow(/CLICKHOUSE_RULES_URL/);
    expect(rules).not.toThrow(/rules-secret/);
    const hook = () =>
      parseDashboardEnv({ ALERT_WEBHOOK_URL: 'hooks.example.com/services/T0/B0/hook-secret' });
    expect(hook).toThrow(/ALERT_WEBHOOK_URL/);
    expect(hook).not.toThrow(/hook-secret/);
  });

  it('reads RECEIVERS_KEY as 32 bytes (hex or base64) and never echoes a bad one', () => {
    const key = Buffer.alloc(32, 9);
    expect(parseDashboardEnv({ RECEIVERS_KEY: key.toString('hex') }).RECEIVERS_KEY).toEqual(key);
    expect(parseDashboardEnv({ RECEIVERS_KEY: key.toString('base64') }).RECEIVERS_KEY).toEqual(key);
    expect(parseDashboardEnv({}).RECEIVERS_KEY).toBeUndefined();
    const bad = () => parseDashboardEnv({ RECEIVERS_KEY: 'receivers-key-too-short' });
    expect(bad).toThrow(/RECEIVERS_KEY: must be 32 bytes as 64 hex digits or base64/);
    expect(bad).not.toThrow(/too-short/);
  });

  it('reads the unwatched coalescing window: 15 s by default, bounded, in whole ms', () => {
    expect(parseDashboardEnv({}).COLLECTOR_COALESCE_UNWATCHED_MS).toBe(15_000);
    expect(parseDashboardEnv({ COLLECTOR_COALESCE_UNWATCHED_MS: '0' }).COLLECTOR_COALESCE_UNWATCHED_MS).toBe(
      0,
    );
    expect(() => parseDashboardEnv({ COLLECTOR_COALESCE_UNWATCHED_MS: '90000' })).toThrow(
      /COLLECTOR_COALESCE_UNWATCHED_MS: must be at most 60000/,
    );
    expect(() => parseDashboardEnv({ COLLECTOR_COALESCE_UNWATCHED_MS: 'soon' })).toThrow(
      /COLLECTOR_COALESCE_UNWATCHED_MS: must be a number of milliseconds/,
    );
  });

  it('treats empty variables as unset', () => {
    const env = parseDashboardEnv({ PORT: '', ALERT_WEBHOOK_URL: '  ' });
    expect(env.PORT).toBe(3000);
    expect(env.ALERT_WEBHOOK_URL).toBeUndefined();
  });

  it('names every bad variable with what it got', () => {
    let error: unknown;
    try {
      parseDashboardEnv({
        PORT: 'eighty',
        COLLECTOR_ENABLED: 'maybe',
        TARGET_URL: 'ftp://x',
        OTLP_ENDPOINT: 'http://c:4318',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: .*\(got "eighty"\)/);
    expect(message).toMatch(/COLLECTOR_ENABLED: must be true or false/);
    expect(message).toMatch(/TARGET_URL: must be an http\(s\) URL/);
    expect(message).toMatch(/OTLP_ENDPOINT: must be host:port/);
  });
});
