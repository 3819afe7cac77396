// The sign-in attacks of issue 15 against the real dashboard process (embedded chDB, collector):
// many passwords in one batched request, a burst of concurrent guesses, a flood of sign-ins while
// telemetry arrives, and locking the admin out for everyone. Each client is its own loopback address.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookieOf,
  type DashboardServer,
  mutate,
  send,
  startDashboardServer,
} from '../support/dashboard-server.ts';
import { httpMetricsBody } from '../support/otlp.ts';
import { TEST_USERS, testUsersEnv } from '../support/users.ts';

const [, QA, ADMIN] = TEST_USERS;
let dir: string;
let dashboard: DashboardServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dashboard-sign-in-'));
  dashboard = await startDashboardServer(dir, { DASHBOARD_USERS: await testUsersEnv() });
});

afterAll(async () => {
  await dashboard?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const retryAfter = (a: { headers: Record<string, unknown> }) => Number(a.headers['retry-after']);

describe('sign-in limits against the running dashboard', () => {
  it('signs nobody in from one batched request of 30 passwords (29 wrong, 1 right)', async () => {
    const calls = Array.from({ length: 30 }, (_, i) => ({
      name: ADMIN.name,
      password: i === 17 ? ADMIN.password : `guess-${i}`,
    }));
    const path = `${Array(calls.length).fill('auth.signIn').join(',')}?batch=1`;
    const answer = await mutate(dashboard.url, path, Object.fromEntries(calls.map((c, i) => [i, c])), {
      from: '127.0.0.11',
    });
    expect(cookieOf(answer)).toBeNull();
    const items = JSON.parse(answer.body) as { error?: { data: { code: string } } }[];
    expect(items.map((item) => item.error?.data.code)).toEqual(Array(30).fill('BAD_REQUEST'));
  });

  it('checks only a few of 25 concurrent wrong passwords; the rest get 429 with Retry-After', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        mutate(
          dashboard.url,
          'auth.signIn',
          { name: ADMIN.name, password: `wrong-${i}` },
          { from: '127.0.0.12' },
        ),
      ),
    );
    const statuses = guesses.map((g) => g.status);
    // Three free tries, then one per wait (1 s, 2 s, 4 s …) should the burst arrive slowly.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(19);
    for (const g of guesses.filter((g) => g.status === 429)) expect(retryAfter(g)).toBeGreaterThanOrEqual(1);

    // The guesser waits even with the right password …
    const guesser = await mutate(
      dashboard.url,
      'auth.signIn',
      { name: ADMIN.name, password: ADMIN.password },
      {
        from: '127.0.0.12',
      },
    );
    expect(guesser.status).toBe(429);
    expect(cookieOf(guesser)).toBeNull();
    // … but the admin, from their own machine, is not locked out.
    const owner = await mutate(
      dashboard.url,
      'auth.signIn',
      { name: ADMIN.name, password: ADMIN.password },
      {
        from: '127.0.0.13',
      },
    );
    expect(owner.status).toBe(200);
    expect(cookieOf(owner)).not.toBeNull();
  });

  it('keeps OTLP ingest and the sign-in page answering through a flood of sign-ins', async () => {
    // 24 clients at once, each with one guess (so only the hashing bound can hold them back).
    const flood = Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        mutate(
          dashboard.url,
          'auth.signIn',
          { name: QA.name, password: `flood-${i}` },
          { from: `127.0.1.${i + 1}` },
        ),
      ),
    );
    let flooding = true;
    void flood.finally(() => {
      flooding = false;
    });
    const ingest: number[] = [];
    const pages: number[] = [];
    const started = Date.now();
    while (flooding || Date.now() - started < 3_000) {
      const at = Date.now();
      const body = gzipSync(
        JSON.stringify(
          httpMetricsBody('flood-check', [
            {
              atMs: at,
              route: '/health',
              status: 200,
              count: 1,
              buckets: [1, 0, 0, 0, 0],
              sumSeconds: 0.001,
            },
          ]),
        ),
      );
      const [otlp, page] = await Promise.all([
        send(`${dashboard.collectorUrl}/v1/metrics`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          body,
        }),
        send(`${dashboard.url}/signin`),
      ]);
      expect(otlp.status).toBe(200);
      expect(page.status).toBe(200);
      ingest.push(otlp.ms);
      pages.push(page.ms);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Generous for a loaded CI machine; unbounded hashing stalled ingest for ~15 s.
    expect(Math.max(...ingest)).toBeLessThan(3_000);
    expect(Math.max(...pages)).toBeLessThan(5_000);
    const answers = await flood;
    const busy = answers.filter((a) => a.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    for (const a of busy) expect(retryAfter(a)).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
  });
});
