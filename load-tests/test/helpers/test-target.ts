// The real target-app for load-tests' integration tests: in-process on 127.0.0.1 (ephemeral port),
// embedded PGlite with a small generated catalogue, a brisk price changer so a short WebSocket watch
// gets messages, telemetry only when a test has a collector. Misbehaviour comes from the target's own
// admin chaos API (injected 500s, added latency), as QA would cause it — never from a stand-in.
import { startTargetApp, type TargetApp } from 'target-app';

export const TEST_ADMIN_TOKEN = 'load-tests-admin-token';

export type TestTargetOptions = {
  /** Generated cars (default 200). */
  carCount?: number;
  /** OTLP/HTTP base URL (http://host:port) of the test's collector; unset → telemetry off. */
  otlpEndpoint?: string;
  /** Chaos set before the first request (PUT /admin/chaos body), e.g. { errorRate: 1 }. */
  chaos?: Record<string, unknown>;
  /** A few requests per browse route first: a fresh process (JIT, PGlite) is slow at its start. */
  warm?: boolean;
};

export type TestTarget = {
  readonly url: string;
  readonly app: TargetApp;
  /** Replaces the chaos settings (PUT /admin/chaos; a field left out is back to no chaos). */
  setChaos(body: Record<string, unknown>): Promise<void>;
  /** Requests the target has answered, from its own /metrics (so a test sees it was really hit). */
  requestsServed(): Promise<number>;
  close(): Promise<void>;
};

const WARM_PATHS = [
  '/api/makes',
  '/api/cars?page=1&pageSize=20',
  '/api/cars?bodyType=suv',
  '/api/cars/1',
  '/api/recommendations?carIds=1,2,3&limit=10',
];

export async function startTestTarget(opts: TestTargetOptions = {}): Promise<TestTarget> {
  const app = await startTargetApp({
    port: 0,
    host: '127.0.0.1',
    carCount: opts.carCount ?? 200,
    logLevel: 'warn',
    adminToken: TEST_ADMIN_TOKEN,
    jwtSecret: 'load-tests-jwt-secret-of-32-chars-at-least',
    // Lowest bcrypt cost: sign-ups and logins run the same code at a fraction of the CPU on a shared box.
    authBcryptCost: 4,
    // A watcher of a few hundred cars gets several price messages a second, even in a 2 s session.
    priceChangeIntervalMs: 100,
    priceChangesPerTick: 5,
    ...(opts.otlpEndpoint === undefined
      ? { telemetryEnabled: false }
      : { telemetryEnabled: true, otlpEndpoint: opts.otlpEndpoint }),
  });
  const setChaos = async (body: Record<string, unknown>): Promise<void> => {
    const res = await fetch(`${app.url}/admin/chaos`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`chaos: ${res.status} ${await res.text()}`);
  };
  try {
    if (opts.warm) {
      for (const path of WARM_PATHS)
        for (let i = 0; i < 5; i++) await (await fetch(`${app.url}${path}`)).arrayBuffer();
    }
    if (opts.chaos) await setChaos(opts.chaos);
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    url: app.url,
    app,
    setChaos,
    async requestsServed() {
      const text = await (await fetch(`${app.url}/metrics`)).text();
      let total = 0;
      for (const line of text.split('\n')) {
        const m = /^http_server_request_duration_seconds_count\{[^}]*\} (\d+)$/.exec(line);
        if (m && !line.includes('route="/metrics"')) total += Number(m[1]);
      }
      return total;
    },
    close: () => app.close(),
  };
}
