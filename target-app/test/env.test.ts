import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/env.ts';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    expect(parseConfig({}, {})).toEqual({
      port: 8080,
      host: '127.0.0.1',
      serviceName: 'car-suggester',
      otlpEndpoint: 'http://127.0.0.1:4318',
      metricExportIntervalMs: 1000,
      adminToken: 'dev-admin-token',
      carCount: 10_000,
      carSeed: 42,
      telemetryEnabled: true,
      logLevel: 'info',
      dbPoolMax: 20,
      dbPoolMin: 5,
      dbSearchConcurrency: 4,
      dbPoolIdleTimeoutMs: 10_000,
      dbPoolAcquireTimeoutMs: 30_000,
      redisCommandTimeoutMs: 250,
      cacheKeyPrefix: 'car-suggester:',
      cacheL1MaxEntries: 10_000,
      cacheL1MaxMb: 16,
      cacheTtlCarMs: 30 * 60_000,
      cacheTtlSearchMs: 15 * 60_000,
      cacheTtlOtherMs: 5 * 60_000,
      priceChangerEnabled: true,
      priceChangeIntervalMs: 1_000,
      priceChangesPerTick: 5,
      tracesSampler: 'parentbased_always_on',
      tracesSamplerArg: 1,
      nodeEnv: 'development',
      authBcryptCost: 10,
      rateLimitEnabled: true,
      rateLimitAllowlist: ['127.0.0.1', '::1'],
      rateLimitAuthPerMinute: 5,
      rateLimitSearchPerMinute: 50,
      rateLimitApiPerMinute: 100,
      rateLimitUploadsPerHour: 10,
    });
  });

  it('reads the cache settings and hides the Redis password', () => {
    expect(
      parseConfig(
        {},
        { REDIS_URL: 'redis://:pw@cache:6379/0', CACHE_TTL_CAR_MS: '1000', CACHE_L1_MAX_ENTRIES: '50' },
      ),
    ).toMatchObject({ redisUrl: 'redis://:pw@cache:6379/0', cacheTtlCarMs: 1000, cacheL1MaxEntries: 50 });
    expect(() => parseConfig({}, { REDIS_URL: 'http://:secret@cache' })).toThrow(
      /REDIS_URL: must be a redis/,
    );
    expect(() => parseConfig({}, { REDIS_URL: 'http://:secret@cache' })).not.toThrow(/secret/);
  });

  it('reads the database URL and pool settings, and checks them', () => {
    expect(
      parseConfig(
        {},
        {
          DATABASE_URL: 'postgres://app:pw@db:5432/cars',
          DB_POOL_MAX: '40',
          DB_POOL_MIN: '0',
          DB_POOL_IDLE_TIMEOUT_MS: '5000',
          DB_POOL_ACQUIRE_TIMEOUT_MS: '2000',
        },
      ),
    ).toMatchObject({
      databaseUrl: 'postgres://app:pw@db:5432/cars',
      dbPoolMax: 40,
      dbPoolMin: 0,
      dbPoolIdleTimeoutMs: 5000,
      dbPoolAcquireTimeoutMs: 2000,
    });
    const error = configError(() =>
      parseConfig(
        {},
        { DATABASE_URL: 'mysql://u:secret@db/cars', DB_POOL_MAX: '0', DB_POOL_ACQUIRE_TIMEOUT_MS: 'soon' },
      ),
    );
    const byVariable = Object.fromEntries(error.issues.map((i) => [i.variable, i.message]));
    expect(byVariable.DATABASE_URL).toBe(
      'must be a postgres:// or postgresql:// URL (got "mysql://u:***@db/cars")',
    );
    expect(byVariable.DB_POOL_MAX).toMatch(/at least 1/);
    expect(byVariable.DB_POOL_ACQUIRE_TIMEOUT_MS).toMatch(/whole number/);
    expect(error.message).not.toContain('secret');
    expect(configError(() => parseConfig({}, { DB_POOL_MIN: '30' })).issues).toEqual([
      { variable: 'DB_POOL_MIN', message: 'must be ≤ DB_POOL_MAX (20) (got 30)' },
    ]);
  });

  it('reads and converts every variable; empty means default', () => {
    const config = parseConfig(
      {},
      {
        PORT: '9090',
        HOST: '0.0.0.0',
        SERVICE_NAME: 'cars-eu',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.internal:4318/',
        OTEL_METRIC_EXPORT_INTERVAL: '2000',
        ADMIN_TOKEN: 's3cret-token',
        CAR_COUNT: '1000000',
        CAR_SEED: '7',
        TELEMETRY_ENABLED: 'false',
        LOG_LEVEL: 'WARN',
        UNRELATED: 'x',
      },
    );
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      serviceName: 'cars-eu',
      otlpEndpoint: 'https://collector.internal:4318',
      metricExportIntervalMs: 2000,
      adminToken: 's3cret-token',
      carCount: 1_000_000,
      carSeed: 7,
      telemetryEnabled: false,
      logLevel: 'warn',
    });
    expect(parseConfig({}, { PORT: '', TELEMETRY_ENABLED: ' ' }).port).toBe(8080);
  });

  it('names each bad variable with the reason and the value', () => {
    const error = configError(() =>
      parseConfig(
        {},
        {
          PORT: 'eighty',
          OTEL_METRIC_EXPORT_INTERVAL: '5000',
          ADMIN_TOKEN: 'short',
          CAR_COUNT: '20000000',
          TELEMETRY_ENABLED: 'maybe',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        },
      ),
    );
    const byVariable = Object.fromEntries(error.issues.map((i) => [i.variable, i.message]));
    expect(byVariable.PORT).toBe('must be a whole number (got "eighty")');
    expect(byVariable.OTEL_METRIC_EXPORT_INTERVAL).toMatch(/at most 2000 ms.*\(got 5000\)/);
    expect(byVariable.ADMIN_TOKEN).toBe('must be at least 8 characters (got (hidden))');
    expect(byVariable.CAR_COUNT).toMatch(/at most 10000000 \(got 20000000\)/);
    expect(byVariable.TELEMETRY_ENABLED).toMatch(/true or false/);
    expect(byVariable.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/http\(s\) URL/);
    expect(error.message).toMatch(/^Invalid target-app configuration:\n {2}PORT: must be a whole number/);
    expect(error.message).not.toContain('short');
  });

  it('rejects out-of-range numbers', () => {
    expect(configError(() => parseConfig({}, { PORT: '70000' })).issues[0]?.variable).toBe('PORT');
    expect(configError(() => parseConfig({}, { CAR_COUNT: '0' })).issues[0]?.variable).toBe('CAR_COUNT');
    expect(configError(() => parseConfig({}, { CAR_SEED: '4294967296' })).issues[0]?.variable).toBe(
      'CAR_SEED',
    );
    expect(
      configError(() => parseConfig({}, { OTEL_METRIC_EXPORT_INTERVAL: '50' })).issues[0]?.variable,
    ).toBe('OTEL_METRIC_EXPORT_INTERVAL');
    expect(configError(() => parseConfig({}, { LOG_LEVEL: 'loud' })).issues[0]?.variable).toBe('LOG_LEVEL');
  });

  it('lets options override the environment, held to the same rules', () => {
    expect(parseConfig({ port: 0, carCount: 50 }, { PORT: '9090', CAR_COUNT: '100' })).toMatchObject({
      port: 0,
      carCount: 50,
    });
    const error = configError(() => parseConfig({ adminToken: 'abc' }, {}));
    expect(error.issues).toEqual([
      {
        variable: 'adminToken (option overriding ADMIN_TOKEN)',
        message: 'must be at least 8 characters (got (hidden))',
      },
    ]);
  });
});
