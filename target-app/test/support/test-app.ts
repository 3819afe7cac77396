// One target app per test file, on port 0, with telemetry going to a real (small) OTLP receiver,
// plus JSON helpers for the tests that talk to it.
import { generateCars } from '../../src/cars/generate.ts';
import type { ChaosState } from '../../src/chaos.ts';
import type { Config } from '../../src/env.ts';
import type { ErrorBody } from '../../src/http/errors.ts';
import { startTargetApp, type TargetApp } from '../../src/start.ts';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.ts';

export const TEST_CAR_COUNT = 3_000;
export const TEST_SEED = 42;
export const TEST_TOKEN = 'test-admin-token';
export const testCars = generateCars(TEST_CAR_COUNT, TEST_SEED);

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

export async function startTestApp(overrides: Partial<Config> = {}) {
  const receiver: OtlpReceiver = await startOtlpReceiver();
  let app: TargetApp;
  try {
    app = await startTargetApp({
      port: 0,
      carCount: TEST_CAR_COUNT,
      carSeed: TEST_SEED,
      adminToken: TEST_TOKEN,
      otlpEndpoint: receiver.url,
      metricExportIntervalMs: 250,
      serviceName: 'car-suggester-test',
      logLevel: 'error',
      // Tests compare prices with the generated dataset: the price feed's tests switch it on.
      priceChangerEnabled: false,
      ...overrides,
    });
  } catch (error) {
    await receiver.close();
    throw error;
  }

  /** JSON GET; T is what the test expects to read (the assertions check it). */
  async function get<T = unknown>(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${app.url}${path}`, { headers });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as T,
    };
  }

  async function timed(path: string) {
    const started = performance.now();
    const response = await get(path);
    return { ...response, ms: performance.now() - started };
  }

  /** `token: null` sends no Authorization header. */
  async function chaos(method: 'GET' | 'PUT' | 'DELETE', body?: unknown, token: string | null = TEST_TOKEN) {
    type Reply = Partial<ChaosState> & Partial<ErrorBody>;
    const response = await fetch(`${app.url}/admin/chaos`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Reply };
  }

  return {
    url: app.url,
    /** Requests without a socket, e.g. from a non-loopback address the rate limiter counts. */
    inject: app.inject,
    /** The embedded database's process (DATABASE_URL unset). */
    embeddedDatabase: app.embeddedDatabase,
    receiver,
    get,
    timed,
    chaos,
    async close() {
      await app.close();
      await receiver.close();
    },
  };
}

/** Polls `probe` until it returns a value (telemetry arrives asynchronously). */
export async function eventually<T>(probe: () => T | undefined, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
