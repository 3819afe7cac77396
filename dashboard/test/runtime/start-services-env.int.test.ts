// The all-in-one process builds its store and collector from the collector's own variables, as the
// collector's process does: retention on the tables, the embedded store's memory cap, the body
// limit, the on-disk queue's bound, the acknowledgement mode, the cluster and the coalescing windows
// (the longer one while nobody views the dashboard) all take effect.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDashboardEnv } from '../../src/env.ts';
import { type RunningServices, startServices } from '../../src/runtime/start-services.ts';
import { snapshotCacheOf } from '../../src/server/shared-snapshot.ts';
import { type HttpPoint, httpMetricsBody } from '../support/otlp.ts';

const dir = mkdtempSync(join(tmpdir(), 'dashboard-collector-env-'));
const rulesDir = join(dir, 'rules');
const settings = {
  COLLECTOR_TTL_DAYS_METRICS: '30',
  COLLECTOR_TTL_DAYS_TRACES: '7',
  COLLECTOR_TTL_DAYS_LOGS: '3',
  COLLECTOR_STORE_MAX_MEMORY_MB: '512',
  COLLECTOR_MAX_BODY_BYTES: String(64 * 1024),
  COLLECTOR_QUEUE_MAX_BYTES: String(16 * 1024),
  COLLECTOR_ACK_AFTER: 'queue',
  COLLECTOR_COALESCE_MS: '300',
  COLLECTOR_COALESCE_UNWATCHED_MS: '60000',
};
let running: RunningServices;

beforeAll(async () => {
  mkdirSync(rulesDir);
  const env = parseDashboardEnv({
    ...settings,
    DATA_DIR: dir,
    PORT: '0',
    COLLECTOR_PORT: '0',
    RULES_DIR: rulesDir,
    PAGE_CHECK_INTERVAL: '0',
    COLLECTOR_SELF_TELEMETRY_INTERVAL: '0',
  });
  running = await startServices(env, () => undefined);
});

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = () => running.services.store.client;
const collectorUrl = () => running.collector!.url;

async function rows<T>(query: string): Promise<T[]> {
  return (await client().query({ query, format: 'JSONEachRow' })).json<T>();
}

const points = (n: number, route: string): HttpPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    atMs: Date.now() - 60_000 + i,
    route,
    status: 200,
    count: 10,
    buckets: [2, 3, 5, 0, 0],
    sumSeconds: 0.2,
  }));

const post = (body: string) =>
  fetch(`${collectorUrl()}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

async function storedPoints(route: string): Promise<number> {
  const [row] = await rows<{ n: string }>(
    `SELECT count() AS n FROM otel_metrics_histogram WHERE Attributes['http.route'] = '${route}'`,
  );
  return Number(row?.n ?? 0);
}

it('puts the configured retention on the metric, trace and log tables', async () => {
  const ddl = Object.fromEntries(
    (
      await rows<{ name: string; create_table_query: string }>(
        'SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase()',
      )
    ).map((t) => [t.name, t.create_table_query]),
  );
  expect(ddl.otel_metrics_sum).toMatch(/TTL toDateTime\(TimeUnix\) \+ toIntervalDay\(30\)/);
  expect(ddl.otel_metrics_histogram_1m).toMatch(/TTL TimeUnix \+ toIntervalDay\(30\)/);
  expect(ddl.otel_traces).toMatch(/TTL toDateTime\(Timestamp\) \+ toIntervalDay\(7\)/);
  expect(ddl.otel_logs).toMatch(/TTL TimestampTime \+ toIntervalDay\(3\)/);
  // Control-plane tables keep their rows.
  expect(ddl.cp_runs).not.toMatch(/TTL/);
});

it('caps the embedded store’s memory at COLLECTOR_STORE_MAX_MEMORY_MB', async () => {
  expect(
    await rows("SELECT value FROM system.server_settings WHERE name = 'max_server_memory_usage'"),
  ).toEqual([{ value: String(512 * 1024 * 1024) }]);
});

it('holds light traffic for COLLECTOR_COALESCE_UNWATCHED_MS while nobody views, stores it once a viewer asks', async () => {
  expect(running.services.viewers?.present).toBe(false);
  expect((await post(JSON.stringify(httpMetricsBody('car-suggester', points(2, '/unwatched'))))).status).toBe(
    200,
  );
  // Acknowledged, and far past the 300 ms window: still waiting for the 60 s one.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(await storedPoints('/unwatched')).toBe(0);
  // A live stream asks for a snapshot (as the Overview does): someone is watching now.
  await snapshotCacheOf(running.services).get('viewer-probe', 1_000, async () => 0);
  expect(running.services.viewers?.present).toBe(true);
  // The next append wakes the replayer, which asks the window again and stores both batches.
  expect((await post(JSON.stringify(httpMetricsBody('car-suggester', points(1, '/watched'))))).status).toBe(
    200,
  );
  await expect.poll(() => storedPoints('/unwatched'), { timeout: 10_000 }).toBe(2);
  await expect.poll(() => storedPoints('/watched'), { timeout: 10_000 }).toBe(1);
});

// After the test above, a viewer is present: the 300 ms window applies.
it('acknowledges once the batch is in the on-disk queue, then replays it into the store', async () => {
  const before = running.collector!.stats();
  const res = await post(JSON.stringify(httpMetricsBody('car-suggester', points(2, '/queued'))));
  expect(res.status).toBe(200);
  const after = running.collector!.stats();
  expect(after.queuedRows - before.queuedRows).toBe(2);
  expect(after.writtenRows).toBe(0); // nothing went straight to the store
  await expect.poll(() => storedPoints('/queued'), { timeout: 20_000 }).toBe(2);
});

it('refuses a body over COLLECTOR_MAX_BODY_BYTES with 413, storing nothing', async () => {
  const body = JSON.stringify(httpMetricsBody('car-suggester', points(400, '/too-big')));
  expect(body.length).toBeGreaterThan(64 * 1024);
  const res = await post(body);
  expect(res.status).toBe(413);
  expect(await res.text()).toContain(`limit of ${64 * 1024} bytes`);
  expect(await storedPoints('/too-big')).toBe(0);
});

it('answers 503 with Retry-After when a batch would overflow COLLECTOR_QUEUE_MAX_BYTES', async () => {
  const body = JSON.stringify(httpMetricsBody('car-suggester', points(80, '/over-queue')));
  expect(body.length).toBeLessThan(64 * 1024); // within the body limit: the queue bound decides
  const res = await post(body);
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  const ready = (await (await fetch(`${collectorUrl()}/ready`)).json()) as { queue: { maxBytes: number } };
  expect(ready.queue.maxBytes).toBe(16 * 1024);
  expect(await storedPoints('/over-queue')).toBe(0);
});

it('the dashboard process creates its tables ON CLUSTER when COLLECTOR_CLUSTER is set', () => {
  // The real all-in-one process (server.ts), with an embedded store that knows no cluster: it must
  // fail on the ON CLUSTER DDL rather than ignore the setting. It stops before Next.js loads.
  const own = mkdtempSync(join(tmpdir(), 'dashboard-cluster-'));
  try {
    const child = spawnSync(process.execPath, ['server.ts'], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: {
        ...process.env,
        ...settings,
        DATA_DIR: own,
        PORT: '0',
        COLLECTOR_PORT: '0',
        RULES_DIR: rulesDir,
        PAGE_CHECK_INTERVAL: '0',
        COLLECTOR_CLUSTER: 'perf_cluster_absent',
        CLICKHOUSE_URL: '',
      },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toMatch(/dashboard failed to start:.*perf_cluster_absent/);
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
});
